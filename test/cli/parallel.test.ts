// Replications on the pool: 1, 2 and 3 workers give byte-identical results
// (and the same as the in-thread loop), a throwing replication or a dying
// worker fails with the index and seed path, abort keeps completed results in
// index order, and progress arrives while replications run.
import { describe, expect, it } from 'vitest';
import { runReplication } from '../../agents/replication.ts';
import { ReplicationFailedError } from '../../engine/pool.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { runReplications, type ReplicationsProgress } from '../../cli/run-replications.ts';
import { Worker } from 'node:worker_threads';
import { fitGcToPool } from '../../cli/gc-helpers.ts';
import { failure } from '../helpers/rejection.ts';

const spec = loadScenario('scenarios/fi-ee-eprescription.yaml', { sets: ['replications=4', 'population[0].count=400'] });


describe('runReplications', () => {
  it('1, 2 and 3 workers give byte-identical results, equal to the in-thread loop', async () => {
    const inThread = JSON.stringify(Array.from({ length: 4 }, (_, i) => runReplication(spec, i)));
    for (const workers of [1, 2, 3]) {
      const out = await runReplications(spec, { workers });
      expect(out.partial).toBe(false);
      expect(out.results.map((r) => r.index)).toEqual([0, 1, 2, 3]);
      expect(JSON.stringify(out.results)).toBe(inThread);
    }
  });

  it('the scavenger goes single-threaded only for a worker per core, and results do not depend on it', () => {
    expect(fitGcToPool(1, 2).parallelScavenge).toBe(true);
    const parallel = JSON.stringify(runReplication(spec, 0));
    expect(fitGcToPool(2, 2).parallelScavenge).toBe(false);
    expect(fitGcToPool(3, 2).parallelScavenge).toBe(false);
    const single = JSON.stringify(runReplication(spec, 0));
    expect(single).toBe(parallel);
    expect(fitGcToPool(1, 2).parallelScavenge).toBe(true);
  });

  it('threads started after fitGcToPool have gc, so replication workers collect between replications', async () => {
    fitGcToPool(2, 2);
    const seen = await new Promise<unknown>((resolve, reject) => {
      const w = new Worker("require('node:worker_threads').parentPort.postMessage(typeof globalThis.gc)", { eval: true });
      w.once('message', (m) => void w.terminate().then(() => resolve(m)));
      w.once('error', reject);
    });
    expect(seen).toBe('function');
  });

  it('a throwing replication -> ReplicationFailedError naming the index and seed path', async () => {
    const e = await failure(runReplications(spec, { workers: 2, testFaults: { 2: 'throw' } }));
    expect(e.index).toBe(2);
    expect(e.kind).toBe('threw');
    expect(e.message).toBe('replication 2 of fi-ee-eprescription (seed 2019, stream 2019/rep:2) failed: it threw: test fault: replication 2 threw');
    expect(e.reason.stack).toContain('replication-worker.ts');
  });

  it('a worker thread that crashes or exits -> ReplicationFailedError (died) with a clear message', async () => {
    const crashed = await failure(runReplications(spec, { workers: 2, testFaults: { 1: 'crash' } }));
    expect(crashed.message).toBe(
      'replication 1 of fi-ee-eprescription (seed 2019, stream 2019/rep:1) failed: its worker thread died: test fault: worker for replication 1 crashed',
    );
    const exited = await failure(runReplications(spec, { workers: 2, workerFile: new URL('../fixtures/exiting-replication-worker.ts', import.meta.url) }));
    expect(exited.index).toBe(1);
    expect(exited.kind).toBe('died');
    expect(exited.message).toBe('replication 1 of fi-ee-eprescription (seed 2019, stream 2019/rep:1) failed: its worker thread died: worker exited with code: 1');
  });

  it('abort after the first result -> partial, completed results in index order', async () => {
    const ac = new AbortController();
    const out = await runReplications(spec, {
      workers: 2,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done > 0) ac.abort();
      },
    });
    expect(out.partial).toBe(true);
    expect(out.results.length).toBeGreaterThanOrEqual(1);
    expect(out.results.length).toBeLessThan(4);
    for (const r of out.results) expect(JSON.stringify(r)).toBe(JSON.stringify(runReplication(spec, r.index)));
    const indices = out.results.map((r) => r.index);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('running in progress slices of simulated time changes nothing; reports rise in events and time', () => {
    const full = loadScenario('scenarios/fi-ee-eprescription.yaml');
    const reports: [number, number][] = [];
    const sliced = runReplication(full, 1, { progress: { everyEvents: 1000, report: (e, t) => reports.push([e, t]) } });
    expect(JSON.stringify(sliced)).toBe(JSON.stringify(runReplication(full, 1)));
    expect(reports.length).toBeGreaterThan(10);
    for (let i = 1; i < reports.length; i++) {
      expect(reports[i]![0] - reports[i - 1]![0]).toBeGreaterThanOrEqual(1000);
      expect(reports[i]![1]).toBeGreaterThan(reports[i - 1]![1]);
    }
    expect(reports[reports.length - 1]![0]).toBeLessThanOrEqual(sliced.events);
  });

  it('progress arrives while replications run, and ends with every event counted', async () => {
    const big = loadScenario('scenarios/fi-ee-eprescription.yaml', { sets: ['replications=2'] });
    const seen: ReplicationsProgress[] = [];
    const out = await runReplications(big, { workers: 2, onProgress: (p) => seen.push(p) });
    const running = seen.filter((p) => (p.perWorker?.length ?? 0) > 0);
    expect(running.length).toBeGreaterThan(0);
    for (const p of running) for (const r of p.perWorker!) expect(r.events).toBeGreaterThan(0);
    const last = seen[seen.length - 1]!;
    expect(last.done).toBe(2);
    expect(last.total).toBe(2);
    expect(last.events).toBe(out.results[0]!.events + out.results[1]!.events);
    expect(last.perWorker).toEqual([]);
  });
});
