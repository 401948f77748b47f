/**
 * V8's parallel scavenger, fitted to the worker count. Each young-generation
 * collection borrows helper threads; when replications already keep every
 * core busy, those helpers have no core of their own and preempt the other
 * workers' replications. So pitsim turns parallel scavenging off for a pool
 * with a worker per core, and on again for fewer workers (a lone worker's
 * scavenges then use an idle core). GC never changes results.
 *
 * `--no-parallel-scavenge` is read by V8 at every scavenge, so it may be set
 * while threads run; `--single-threaded-gc`, whose implications V8 fixes at
 * start-up, may not (setting it later aborts the process). The flag is the
 * process's: call this only from cli/, before a pool starts.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/** Sets the process's scavenger for a pool of `workers` threads on `cores` cores; returns whether it scavenges in parallel. */
export function fitScavengerToWorkers(workers: number, cores: number = availableParallelism()): boolean {
  const parallel = workers < cores;
  setFlagsFromString(parallel ? '--parallel-scavenge' : '--no-parallel-scavenge');
  return parallel;
}
