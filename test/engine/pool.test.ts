// The generic pool, with a fixture worker: results by task index whatever the
// completion order, at most `workers` in flight, progress over the task's port,
// every way a worker fails (error, exit, uncaught, out of memory) ->
// ReplicationFailedError and no hang, abort ->
// partial results in place, and TypeScript workers load both under vitest and
// the way the `pitsim` bin runs (tsx registered by API, any directory).
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KernelError } from '../../engine/errors.ts';
import { PoolOptionError, ReplicationFailedError, runPool } from '../../engine/pool.ts';
import type { EchoTask } from '../fixtures/echo-worker.ts';
import { failure } from '../helpers/rejection.ts';

const workerFile = new URL('../fixtures/echo-worker.ts', import.meta.url);
const echo = (tasks: EchoTask[], workers: number, extra: Partial<Parameters<typeof runPool<EchoTask, number>>[0]> = {}) =>
  runPool<EchoTask, number>({ workerFile, tasks, workers, describeTask: (t, i) => `echo #${i} (value ${t.value})`, ...extra });


describe('runPool', () => {
  it('stores results by task index, whatever finishes first, with at most `workers` in flight', async () => {
    let started = 0;
    let finished = 0;
    let maxInFlight = 0;
    const order: number[] = [];
    const out = await echo([{ value: 10, work: 3e7 }, { value: 11 }, { value: 12 }, { value: 13, work: 1e6 }, { value: 14 }], 2, {
      onProgress: (m) => {
        if (typeof m === 'object' && m !== null && 'started' in m) maxInFlight = Math.max(maxInFlight, ++started - finished);
      },
      onResult: (i, _r, done, total) => {
        finished++;
        order.push(i);
        expect(done).toBe(finished);
        expect(total).toBe(5);
      },
    });
    expect(out).toEqual({ results: [20, 22, 24, 26, 28], completed: 5, aborted: false });
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(maxInFlight).toBeLessThanOrEqual(2);
  });

  it('passes every message a task posts to onProgress, in order, with the task index, before its result', async () => {
    for (let round = 0; round < 3; round++) {
      const seen: [unknown, number][] = [];
      await echo([{ value: 1 }, { value: 2 }, { value: 3 }], 2, {
        onProgress: (m, i) => seen.push([m, i]),
        onResult: (i) => seen.push(['result', i]),
      });
      const byIndex = (i: number) => seen.filter(([, j]) => j === i).map(([m]) => m);
      for (const i of [0, 1, 2]) expect(byIndex(i)).toEqual([{ started: i + 1 }, { finished: i + 1, x: 0 }, 'result']);
    }
  });

  it('more workers than tasks, and no tasks, are fine', async () => {
    expect((await echo([{ value: 4 }], 8)).results).toEqual([8]);
    expect(await echo([], 3)).toEqual({ results: [], completed: 0, aborted: false });
  });

  it('rejects a bad worker count up front, naming the option', async () => {
    const e: unknown = await echo([{ value: 1 }], 0).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PoolOptionError);
    expect((e as KernelError).message).toContain('options.workers');
    expect((e as KernelError).hint).toBeTruthy();
  });

  it('a task that returns an error -> ReplicationFailedError with the index, the task and the worker error', async () => {
    const e = await failure(echo([{ value: 1 }, { value: 2, fault: 'error' }, { value: 3 }], 2));
    expect(e).toBeInstanceOf(KernelError);
    expect(e.index).toBe(1);
    expect(e.kind).toBe('threw');
    expect(e.code).toBe('REPLICATION_FAILED');
    expect(e.reason).toMatchObject({ name: 'RangeError', message: 'value 2 refused', code: 'REFUSED' });
    expect(e.message).toBe('echo #1 (value 2) failed: it threw: value 2 refused');
    expect(e.hint).toBeTruthy();
  });

  it('a reply without the { ok } envelope -> ReplicationFailedError saying what came back', async () => {
    const e = await failure(echo([{ value: 7, fault: 'bare' }], 1));
    expect(e.message).toBe('echo #0 (value 7) failed: it threw: the worker returned 7, not { ok, result } or { ok, error }');
  });

  it('a worker that calls process.exit -> ReplicationFailedError (died), and the pool is destroyed', async () => {
    const e = await failure(echo([{ value: 1 }, { value: 2 }, { value: 3, fault: 'exit' }, { value: 4 }], 2));
    expect(e.index).toBe(2);
    expect(e.kind).toBe('died');
    expect(e.message).toBe('echo #2 (value 3) failed: its worker thread died: worker exited with code: 1');
  });

  it('a worker killed by an uncaught asynchronous error -> ReplicationFailedError (died)', async () => {
    const e = await failure(echo([{ value: 1, fault: 'uncaught' }, { value: 2, fault: 'hang' }], 2));
    expect(e.index).toBe(0);
    expect(e.kind).toBe('died');
    expect(e.message).toContain('uncaught in the worker for 1');
    // The hanging task on the other worker did not keep the pool alive: we got here.
  });

  it('a worker out of memory (under resourceLimits) -> ReplicationFailedError (died) with the code', async () => {
    const e = await failure(echo([{ value: 1, fault: 'oom' }], 1, { resourceLimits: { maxOldGenerationSizeMb: 32 } }));
    expect(e.kind).toBe('died');
    expect(e.reason.code).toBe('ERR_WORKER_OUT_OF_MEMORY');
    expect(e.message).toMatch(/^echo #0 \(value 1\) failed: its worker thread died: .*memory/i);
  });

  it('abort after the first result: stops dispatching, terminates in-flight tasks, keeps what completed', async () => {
    const ac = new AbortController();
    const out = await echo([{ value: 1 }, { value: 2, fault: 'hang' }, { value: 3 }, { value: 4 }], 2, {
      signal: ac.signal,
      onResult: () => ac.abort(),
    });
    expect(out).toEqual({ results: [2, undefined, undefined, undefined], completed: 1, aborted: true });
  });

  it('an already-aborted signal runs nothing', async () => {
    expect(await echo([{ value: 1 }], 1, { signal: AbortSignal.abort() })).toEqual({ results: [undefined], completed: 0, aborted: true });
  });

  it('loads TypeScript workers the way the pitsim bin runs (tsx registered by API), from any directory', async () => {
    const script = fileURLToPath(new URL('../fixtures/pool-via-register.mjs', import.meta.url));
    const env = { ...process.env };
    delete env['NODE_OPTIONS'];
    const { stdout } = await promisify(execFile)(process.execPath, [script], { cwd: tmpdir(), env });
    expect(JSON.parse(stdout)).toEqual({ execArgv: [], results: [2, 4, 6], completed: 3 });
  });
});
