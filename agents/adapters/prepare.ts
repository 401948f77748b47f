/**
 * `pitsim load --prepare`: seeds each bound gateway with the synthetic
 * population its flows will look up: first every catalogue Medication (one
 * transaction, conditional on the ATC code), then one transaction per patient
 * (Patient, Conditions, MedicationRequests, each conditional on a
 * deterministic identifier). When a binding to the gateway fetches the
 * Patient Summary MHD style (`summary: documentReference` or `auto`), the
 * transaction also carries the summary document Bundle and its
 * DocumentReference (fhir-summary.ts), conditional likewise; with the default
 * `operation` nothing else is sent, as gateways serving `$summary` may not
 * accept either. Running it again creates nothing new: every entry answers
 * 200 (exists) instead of 201 (created).
 *
 * Patients seeded are those of replication 0 who travel within the scenario
 * (home != destination, arrival before its end) and whose flows could reach
 * the gateway (routing.ts). Bounded: one request per patient (plus retries,
 * at most PREPARE_RETRY.max each), `concurrency` at a time, and a time budget
 * after which no new patient is sent.
 */
import { RandomStream } from '../../engine/index.ts';
import { DEFAULT_SUMMARY_MODE, type AdapterSpec } from '../../scenarios/adapter-spec.ts';
import type { RetryPolicy, ScenarioSpec } from '../../scenarios/spec.ts';
import { generatePopulation, type Patient } from '../population/index.ts';
import { replicationStream } from '../replication.ts';
import { medicationsTransaction, patientTransaction } from './fhir.ts';
import { patientSummaryEntries } from './fhir-summary.ts';
import { call, type CallResult } from './flows.ts';
import type { GatewayClient } from './gateway.ts';
import { Identities } from './identities.ts';
import { EndpointStats, type EndpointTally } from './result.ts';
import { Bindings } from './routing.ts';

export const PREPARE_RETRY: RetryPolicy = Object.freeze({ max: 3, backoffMs: 500, factor: 2, jitter: 0.2 });

export interface PrepareOptions {
  /** Builds the client of an endpoint (the CLI reads TLS files here). */
  connect(adapter: AdapterSpec): GatewayClient;
  /** Transactions in flight per gateway (default 8). */
  readonly concurrency?: number;
  /** No new patient is sent after this much wall time (default 10 min). */
  readonly timeBudgetMs?: number;
  readonly signal?: AbortSignal;
  onProgress?(url: string, done: number, total: number): void;
}

export interface GatewaySeeding {
  readonly patients: number;
  /** Patients whose transaction failed (after retries), by reason. */
  readonly failed: Readonly<Record<string, number>>;
  /** Entries answered 201, by resource type. */
  readonly created: Readonly<Record<string, number>>;
  /** Entries answered 200 (already there), by resource type. */
  readonly existing: Readonly<Record<string, number>>;
  /** Patients not sent: the time budget ran out or the run was stopped. */
  readonly skipped: number;
}

export interface PrepareResult {
  readonly gateways: Readonly<Record<string, GatewaySeeding>>;
  readonly endpoints: Readonly<Record<string, EndpointTally>>;
  readonly wallMs: number;
}

export async function prepareGateways(spec: ScenarioSpec, options: PrepareOptions): Promise<PrepareResult> {
  const t0 = performance.now();
  const bindings = new Bindings(spec.adapters ?? {});
  const rep = replicationStream(spec, 0);
  const population = generatePopulation(spec, rep).filter((p) => p.home !== p.destination && p.arrivalMs < spec.durationMs);
  const identities = new Identities(spec);
  const endpoints = new EndpointStats();
  const signal = options.signal ?? new AbortController().signal;
  const deadline = t0 + (options.timeBudgetMs ?? 600_000);
  const ctx = { endpoints, retry: PREPARE_RETRY, retryDeadline: deadline, counters: { requests: 0, retries: 0, interrupted: 0 } };
  const rng = RandomStream.root(spec.seed).fork('prepare');
  const gateways: Record<string, GatewaySeeding> = {};

  for (const adapter of bindings.endpoints()) {
    const client = options.connect(adapter);
    try {
      const patients = population.filter((p) => bindings.gatewaysOf(p, spec.countries).has(adapter.url));
      const documents = Object.values(spec.adapters ?? {}).some((a) => a.url === adapter.url && (a.summary ?? DEFAULT_SUMMARY_MODE) !== 'operation');
      const created = new Map<string, number>();
      const existing = new Map<string, number>();
      const failed = new Map<string, number>();
      let skipped = 0;
      const tally = (r: CallResult): void => {
        if (!r.ok) return;
        for (const e of (r.body as { entry?: { response?: { status?: string; location?: string } }[] } | null)?.entry ?? []) {
          const type = /^([A-Za-z]+)\//.exec(e.response?.location ?? '')?.[1] ?? 'unknown';
          const status = e.response?.status ?? '';
          if (status.startsWith('201')) bump(created, type);
          else if (status.startsWith('200')) bump(existing, type);
        }
      };
      const meds = await call(ctx, client, 'prepare', { method: 'POST', path: '', body: medicationsTransaction(spec.reference.catalogue) }, rng.fork('medications'), signal);
      tally(meds);
      const medicationIds = meds.ok ? medicationIdsOf(spec, meds.body) : null;
      if (medicationIds === null) {
        bump(failed, meds.ok ? 'ERROR_GENERIC' : meds.reason, patients.length);
      } else {
        let next = 0;
        let done = 0;
        const worker = async (): Promise<void> => {
          for (;;) {
            const i = next++;
            const p = patients[i];
            if (p === undefined) return;
            if (signal.aborted || performance.now() > deadline) {
              skipped++;
              continue;
            }
            const r = await seedPatient(p);
            tally(r);
            if (!r.ok) bump(failed, r.reason);
            done++;
            options.onProgress?.(adapter.url, done, patients.length);
          }
        };
        const seedPatient = (p: Patient): Promise<CallResult> => {
          const id = identities.get(p);
          const tx = patientTransaction(id, spec.reference.catalogue, medicationIds, spec.startDate);
          const body = documents ? { ...tx, entry: [...(tx.entry ?? []), ...patientSummaryEntries(id, spec.reference.catalogue, spec.startDate)] } : tx;
          return call(ctx, client, 'prepare', { method: 'POST', path: '', body }, rng.fork(p.id), signal);
        };
        await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
      }
      gateways[adapter.url] = { patients: patients.length, failed: sorted(failed), created: sorted(created), existing: sorted(existing), skipped };
    } finally {
      await client.close();
    }
  }
  return { gateways, endpoints: endpoints.encode(), wallMs: performance.now() - t0 };
}

/** ATC -> Medication id, from the medications transaction's answer (entries in request order). */
function medicationIdsOf(spec: ScenarioSpec, body: unknown): Map<string, string> | null {
  const entries = (body as { entry?: { response?: { status?: string; location?: string } }[] } | null)?.entry ?? [];
  const meds = spec.reference.catalogue.medications;
  if (entries.length !== meds.length) return null;
  const out = new Map<string, string>();
  for (let i = 0; i < meds.length; i++) {
    const id = /(?:^|\/)Medication\/([^/?]+)/.exec(entries[i]!.response?.location ?? '')?.[1];
    if (id === undefined) return null;
    out.set(meds[i]!.atc, id);
  }
  return out;
}

function bump(m: Map<string, number>, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function sorted(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}
