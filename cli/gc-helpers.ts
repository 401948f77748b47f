/**
 * V8's garbage collector, fitted to a replication pool. Call fitGcToPool from
 * cli/ before a pool starts: the flags are the process's and every pool
 * thread started afterwards reads them. GC never changes results.
 *
 * - A large young generation that starts at its full size, and `gc` exposed
 *   to the workers: a replication-worker collects its young generation between
 *   replications, when nearly all the last one allocated is garbage, so a
 *   replication of ordinary size then runs without a scavenge and promotes
 *   nothing (no old-generation growth, no mark-compact on helper threads).
 * - Parallel scavenging off for a pool with a worker per core: its helper
 *   threads have no core of their own there and preempt the other workers.
 *   With fewer workers it stays on, and a lone worker's scavenges use an idle
 *   core. `--no-parallel-scavenge` is read at every scavenge, so it may be set
 *   while threads run; `--single-threaded-gc`, fixed at start-up, may not.
 */
import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';

/**
 * Each replication thread's young generation: three semi-spaces' worth
 * (V8 keeps two semi-spaces plus as much for large young objects), so 64 MB
 * each. fi-ee allocates ~45 MB a replication: it fits. Pass it to every pool
 * that runs replications.
 */
const YOUNG_GENERATION_MB = 192;
export const REPLICATION_RESOURCE_LIMITS: Readonly<ResourceLimits> = Object.freeze({ maxYoungGenerationSizeMb: YOUNG_GENERATION_MB });
/** One semi-space of that young generation (what --min-semi-space-size takes). */
export const SEMI_SPACE_MB = YOUNG_GENERATION_MB / 3;

export interface GcFit {
  /** Whether scavenges use helper threads. */
  readonly parallelScavenge: boolean;
}

/** Sets the process's GC for a pool of `workers` replication threads on `cores` cores. */
export function fitGcToPool(workers: number, cores: number = availableParallelism()): GcFit {
  setFlagsFromString('--expose-gc');
  setFlagsFromString(`--min-semi-space-size=${SEMI_SPACE_MB}`);
  const parallelScavenge = workers < cores;
  setFlagsFromString(parallelScavenge ? '--parallel-scavenge' : '--no-parallel-scavenge');
  return { parallelScavenge };
}
