/**
 * What travels through Redis between `pitsim run --queue` (the submitter) and
 * `pitsim worker` (BullMQ jobs): the queue name, how a run is cut into
 * segments of consecutive replication indices, the job ids (a pure function
 * of the run and the segment, so resubmitting is idempotent), the job data
 * (the spec itself with its hash: workers need no shared files), the result
 * and progress payloads, and their validation on arrival.
 *
 * A replication is a pure function of (spec, index), so how the indices are
 * cut changes nothing in the results, only load balance and how much work a
 * killed worker loses; the cut is still deterministic (a function of the
 * replication count and segment size alone) so a resumed run finds its jobs.
 */
import type { ReplicationResult } from '../../agents/result.ts';
import type { ScenarioSpec } from '../../scenarios/spec.ts';
import type { RunningReplication } from '../run-replications.ts';

/** The one BullMQ queue every run and worker shares (runs are told apart by job id). */
export const QUEUE_NAME = 'pitsim-replications';

/** Bumped when the payloads below change shape; a worker rejects any other. */
export const QUEUE_PROTOCOL = 1;

/** The BullMQ job name of a segment job. */
export const SEGMENT_JOB = 'segment';

/** Replications `from <= index < to`. */
export interface Segment {
  readonly from: number;
  readonly to: number;
}

/** What a segment job carries. */
export interface SegmentJobData {
  readonly protocol: number;
  /** The pitsim version that submitted it: a worker of another version refuses the job (results would differ). */
  readonly pitsimVersion: string;
  readonly runId: string;
  /** specHash(spec) as the submitter computed it; the worker recomputes and compares. */
  readonly specHash: string;
  readonly spec: ScenarioSpec;
  readonly from: number;
  readonly to: number;
}

/** What a segment job returns (BullMQ stores it as the job's returnvalue). */
export interface SegmentJobResult {
  readonly protocol: number;
  /** Which worker ran it (`host:pid`). */
  readonly worker: string;
  readonly specHash: string;
  readonly from: number;
  readonly to: number;
  /** Replications from..to-1, in index order. */
  readonly results: readonly ReplicationResult[];
}

/** What a worker posts with job.updateProgress while a segment runs. */
export interface SegmentProgress {
  /** Replications of the segment finished. */
  readonly done: number;
  /** Events processed: finished replications plus those in flight. */
  readonly events: number;
  /** Replications in flight, by index. */
  readonly running: readonly RunningReplication[];
}

/**
 * Replications per job when the submitter is not told: about 64 segments (so
 * up to 64 worker threads share a run), at most 25 replications each. Workers
 * keep their pool between jobs, so a job costs a few Redis round trips; what
 * bounds the count is that every job carries the spec (~20-50 KB), and what
 * bounds the size is that a finished job's results travel as one Redis value
 * (~17 KB a replication for fi-ee-eprescription, ~80 KB for eu-summer-peak).
 * 6 -> 1, 100 -> 2, 10 000 -> 25.
 */
export function defaultSegmentSize(replications: number): number {
  return Math.min(25, Math.max(1, Math.ceil(replications / 64)));
}

/** Consecutive segments of `size` indices covering 0..replications-1 (the last may be shorter). */
export function planSegments(replications: number, size: number): Segment[] {
  if (!Number.isInteger(replications) || replications < 0) throw new RangeError(`replications must be a whole number >= 0, got ${replications}`);
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`segment size must be a whole number >= 1, got ${size}`);
  const out: Segment[] = [];
  for (let from = 0; from < replications; from += size) out.push({ from, to: Math.min(replications, from + size) });
  return out;
}

/**
 * A run's identity: the spec hash (which covers the seed and the replication
 * count, which are also spelt out) and the pitsim version. The same run
 * submitted twice finds the same jobs. BullMQ forbids ':' in custom job ids.
 */
export function runIdOf(specHash: string, spec: Pick<ScenarioSpec, 'seed' | 'replications'>, version: string): string {
  return `${specHash}-s${spec.seed}-r${spec.replications}-v${version}`;
}

export function jobIdOf(runId: string, s: Segment): string {
  return `${runId}@${s.from}-${s.to}`;
}

/** Human form of a segment: `replications 3..5`. */
export function describeSegment(s: Segment): string {
  return s.to - s.from === 1 ? `replication ${s.from}` : `replications ${s.from}..${s.to - 1}`;
}

/**
 * Null when the spec survives JSON unchanged (the job carries it as JSON), else
 * the path of the first value that would not (NaN, Infinity, undefined, a
 * function, a Map...): that value would arrive different, yet hash the same.
 */
export function nonJsonPath(value: unknown, path = 'spec'): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nonJsonPath(value[i], `${path}[${i}]`);
      if (p !== null) return p;
    }
    return null;
  }
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return path;
    for (const [k, v] of Object.entries(value)) {
      const p = nonJsonPath(v, `${path}.${k}`);
      if (p !== null) return p;
    }
    return null;
  }
  return path;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The job data as a worker receives it, or why it is not one of ours. */
export function parseSegmentJobData(data: unknown): SegmentJobData | string {
  if (!isRecord(data)) return 'the job data is not an object';
  if (data['protocol'] !== QUEUE_PROTOCOL) return `the job uses queue protocol ${String(data['protocol'])}, this worker speaks ${QUEUE_PROTOCOL}`;
  const { pitsimVersion, runId, specHash, spec, from, to } = data;
  if (typeof pitsimVersion !== 'string' || typeof runId !== 'string' || typeof specHash !== 'string') return 'the job data lacks pitsimVersion, runId or specHash';
  if (!isRecord(spec) || !isIndex(spec['replications']) || typeof spec['seed'] !== 'number') return 'the job data carries no scenario spec';
  if (!isIndex(from) || !isIndex(to) || from >= to || to > spec['replications']) return `the job's segment ${String(from)}-${String(to)} is not within 0-${String(spec['replications'])}`;
  return { protocol: QUEUE_PROTOCOL, pitsimVersion, runId, specHash, spec: spec as unknown as ScenarioSpec, from, to };
}

/** A job's returnvalue checked against the segment it answers, or why it does not. */
export function parseSegmentResult(value: unknown, segment: Segment, specHash: string): SegmentJobResult | string {
  if (!isRecord(value)) return `the result is ${value === null ? 'null' : typeof value}, not an object`;
  if (value['protocol'] !== QUEUE_PROTOCOL) return `the result uses queue protocol ${String(value['protocol'])}, expected ${QUEUE_PROTOCOL}`;
  if (value['specHash'] !== specHash) return `the result is for spec ${String(value['specHash'])}, expected ${specHash}`;
  if (value['from'] !== segment.from || value['to'] !== segment.to) return `the result covers ${String(value['from'])}-${String(value['to'])}, expected ${segment.from}-${segment.to}`;
  const results = value['results'];
  if (!Array.isArray(results) || results.length !== segment.to - segment.from) return `the result holds ${Array.isArray(results) ? results.length : 'no'} replications, expected ${segment.to - segment.from}`;
  for (let i = 0; i < results.length; i++) {
    const r: unknown = results[i];
    if (!isRecord(r) || r['index'] !== segment.from + i) return `result ${i} is not replication ${segment.from + i}`;
  }
  const worker = typeof value['worker'] === 'string' ? value['worker'] : 'unknown';
  return { protocol: QUEUE_PROTOCOL, worker, specHash, from: segment.from, to: segment.to, results: results as ReplicationResult[] };
}

/** A progress payload, or null when it is not one (it is only shown, never trusted for results). */
export function parseSegmentProgress(value: unknown): SegmentProgress | null {
  if (!isRecord(value) || !isIndex(value['done']) || !isIndex(value['events']) || !Array.isArray(value['running'])) return null;
  const running: RunningReplication[] = [];
  for (const r of value['running'] as unknown[]) {
    if (isRecord(r) && isIndex(r['index']) && isIndex(r['events']) && typeof r['simTimeMs'] === 'number') running.push({ index: r['index'], events: r['events'], simTimeMs: r['simTimeMs'] });
  }
  return { done: value['done'], events: value['events'], running };
}
