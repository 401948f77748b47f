/**
 * One patient's story for `pitsim demo`: replication 0 run with a FlowObserver,
 * kept to the messages of ONE patient (`--patient ID`, or by default the first
 * patient, by attempt start time then id, whose attempt reached country A).
 * A pure function of (spec, patient): same seed, same story, byte for byte.
 * The patient's arrival at the point of care and the attempt's outcome are
 * added as messages between the patient and the pharmacy or hospital.
 */
import { replicationStream, runReplication } from '../agents/replication.ts';
import type { AttemptRecord, MessageRecord } from '../agents/observer.ts';
import { generatePopulation, type Sex } from '../agents/population/index.ts';
import type { ScenarioSpec } from '../scenarios/spec.ts';

/** A recorded message, or an added `visit` / `outcome` step (flow ePrescription or patientSummary). */
export interface StoryMessage extends MessageRecord {
  /** On `outcome` steps: what the patient got (`dispensed`, `payPrivately`, `treatedWithSummary`, ...). */
  readonly outcome?: string;
}

export interface StoryPatient {
  readonly id: string;
  readonly age: number;
  readonly sex: Sex;
  /** Country of affiliation (A) and of treatment (B), ISO codes and names. */
  readonly home: string;
  readonly homeName: string;
  readonly destination: string;
  readonly destinationName: string;
}

export interface DemoStory {
  readonly scenario: string;
  readonly seed: number;
  /** Calendar date of t = 0, YYYY-MM-DD. */
  readonly startDate: string;
  readonly patient: StoryPatient;
  /** In time order (ties: arrival first, then the order the flows emitted them). */
  readonly messages: readonly StoryMessage[];
}

/** The patient asked for does not exist, or nobody's attempt crossed the border. */
export class DemoStoryError extends Error {
  readonly code = 'NO_STORY';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'DemoStoryError';
  }
}

/** Flows a patient starts at a point of care (the others ride along: eDispensation, IoT). */
const VISIT_FLOWS = new Set(['ePrescription', 'patientSummary']);

export function demoStory(spec: ScenarioSpec, options: { patient?: string } = {}): DemoStory {
  const population = generatePopulation(spec, replicationStream(spec, 0));
  const id = options.patient ?? firstCrossBorderPatient(spec);
  const p = population.find((x) => x.id === id);
  if (p === undefined) {
    const sample = population.slice(0, 3).map((x) => x.id);
    throw new DemoStoryError(`no patient ${id} in ${spec.name} (${population.length} patients)`, `patient ids look like ${sample.join(', ')}; leave out --patient to follow the first patient whose request reached country A`);
  }

  let seq = 0;
  const keyed: { m: StoryMessage; rank: number; seq: number }[] = [];
  runReplication(spec, 0, {
    observer: {
      message: (m) => {
        if (m.patient === id) keyed.push({ m, rank: 1, seq: seq++ });
      },
      attempt: (a) => {
        if (a.patient !== id || !VISIT_FLOWS.has(a.flow)) return;
        keyed.push({ m: { t: a.startMs, patient: id, flow: a.flow, step: 'visit', from: 'patient', to: 'pointOfCare', kind: 'request' }, rank: 0, seq: seq++ });
        keyed.push({ m: outcomeMessage(a), rank: 1, seq: seq++ });
      },
    },
  });
  keyed.sort((x, y) => x.m.t - y.m.t || x.rank - y.rank || x.seq - y.seq);
  if (keyed.length === 0) {
    throw new DemoStoryError(
      `patient ${id} sent no message in replication 0 of ${spec.name} (no visit to a pharmacy or hospital, and no device uploads, before the end)`,
      'leave out --patient to follow the first patient whose request reached country A',
    );
  }

  return {
    scenario: spec.name,
    seed: spec.seed,
    startDate: spec.startDate,
    patient: {
      id,
      age: p.age,
      sex: p.sex,
      home: p.home,
      homeName: countryName(spec, p.home),
      destination: p.destination,
      destinationName: countryName(spec, p.destination),
    },
    messages: keyed.map((k) => k.m),
  };
}

function outcomeMessage(a: AttemptRecord): StoryMessage {
  const base = { t: a.endMs, patient: a.patient, flow: a.flow, step: 'outcome', from: 'pointOfCare', to: 'patient', kind: 'response', outcome: a.outcome } as const;
  return a.reason === null ? base : { ...base, reason: a.reason };
}

/** First patient, by attempt start (then id), whose attempt sent at least one message from NCP-B to NCP-A. */
function firstCrossBorderPatient(spec: ScenarioSpec): string {
  const crossed = new Set<string>();
  const attempts: AttemptRecord[] = [];
  runReplication(spec, 0, {
    observer: {
      message: (m) => {
        if (m.from === 'ncpB' && m.to === 'ncpA') crossed.add(m.patient);
      },
      attempt: (a) => {
        if (VISIT_FLOWS.has(a.flow)) attempts.push(a);
      },
    },
  });
  let best: AttemptRecord | null = null;
  for (const a of attempts) {
    if (!crossed.has(a.patient)) continue;
    if (best === null || a.startMs < best.startMs || (a.startMs === best.startMs && a.patient < best.patient)) best = a;
  }
  if (best === null) {
    throw new DemoStoryError(
      `no patient in replication 0 of ${spec.name} had a request reach country A`,
      'check that the countries offer the services (countries.<code>.services.<service>.asA / asB) and that patients need care during their stay',
    );
  }
  return best.patient;
}

function countryName(spec: ScenarioSpec, code: string): string {
  return spec.reference.countries[code]?.name ?? spec.countries[code]?.name ?? code;
}

/** How the demo paces a story: each message gets at least `minBeatMs` of replay time, and no gap more than `maxBeatMs`. */
export interface ReplayPacing {
  readonly minBeatMs: number;
  readonly maxBeatMs: number;
}

export const DEFAULT_PACING: ReplayPacing = Object.freeze({ minBeatMs: 900, maxBeatMs: 3000 });

/**
 * Replay times (ms) of a story's messages, for the demo's paced Simulation:
 * the first at one beat, each next one `min(maxBeat, minBeat + simulated gap)`
 * later. Sub-second exchanges stay readable, and hours between visits shrink
 * to a few seconds; the on-screen clock still shows the simulated time.
 */
export function replayTimes(messages: readonly MessageRecord[], pacing: ReplayPacing = DEFAULT_PACING): number[] {
  const out: number[] = [];
  let r = 0;
  let prev: number | null = null;
  for (const m of messages) {
    const gap = prev === null ? 0 : Math.max(0, m.t - prev);
    r += Math.min(pacing.maxBeatMs, pacing.minBeatMs + gap);
    out.push(r);
    prev = m.t;
  }
  return out;
}
