// Ordered-trace tests, SimPy style: each concept is checked by the exact
// sequence of (time, what happened) it produces.
import { describe, expect, it } from 'vitest';
import { Interrupt, PriorityResource, Resource, Simulation, Store, type ProcessGenerator, type Request } from '../../engine/index.ts';

type Log = [number, string][];

describe('timeouts', () => {
  it('wake processes in time order and pass values', () => {
    const sim = new Simulation();
    const log: Log = [];
    function* p(name: string, d: number): ProcessGenerator<void> {
      const v = yield sim.timeout(d, `${name}-value`);
      log.push([sim.now, String(v)]);
      yield d; // numeric sleep
      log.push([sim.now, `${name} slept`]);
    }
    sim.process(p('b', 5));
    sim.process(p('a', 3));
    sim.run();
    expect(log).toEqual([
      [3, 'a-value'],
      [5, 'b-value'],
      [6, 'a slept'],
      [10, 'b slept'],
    ]);
    expect(sim.now).toBe(10);
  });

  it('run(until) stops before events at exactly until and sets the clock there', () => {
    const sim = new Simulation();
    const log: Log = [];
    function* p(): ProcessGenerator<void> {
      for (;;) {
        yield 10;
        log.push([sim.now, 'tick']);
      }
    }
    sim.process(p());
    sim.run(30);
    expect(log).toEqual([
      [10, 'tick'],
      [20, 'tick'],
    ]);
    expect(sim.now).toBe(30);
    sim.run(31);
    expect(log.at(-1)).toEqual([30, 'tick']);
  });

  it('rejects negative delays with a clear error', () => {
    const sim = new Simulation();
    expect(() => sim.timeout(-1)).toThrow(/non-negative/);
  });
});

describe('FIFO ties', () => {
  it('same-time events run in scheduling order, whatever the number of entries', () => {
    const sim = new Simulation();
    const log: string[] = [];
    for (let i = 0; i < 200; i++) sim.timeout(7).onProcessed(() => log.push(`t${i}`));
    sim.run();
    expect(log).toEqual(Array.from({ length: 200 }, (_, i) => `t${i}`));
  });

  it('processes started at the same time run in start order, before ordinary events at that time', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.timeout(0).onProcessed(() => log.push('timeout0'));
    function* p(name: string): ProcessGenerator<void> {
      log.push(`${name} starts`);
      yield 0;
      log.push(`${name} after 0`);
    }
    sim.process(p('A'));
    sim.process(p('B'));
    sim.run();
    expect(log).toEqual(['A starts', 'B starts', 'timeout0', 'A after 0', 'B after 0']);
  });
});

describe('processes waiting on processes', () => {
  it('a parent gets the child return value at the child end time', () => {
    const sim = new Simulation();
    const log: Log = [];
    function* child(d: number): ProcessGenerator<number> {
      yield d;
      log.push([sim.now, `child ${d} done`]);
      return d * 2;
    }
    function* parent(): ProcessGenerator<void> {
      const c1 = sim.process(child(4));
      const v1 = yield c1;
      log.push([sim.now, `parent got ${String(v1)}`]);
      const v2 = yield sim.process(child(1));
      log.push([sim.now, `parent got ${String(v2)}`]);
      // waiting on a process that already ended resumes at once with its value
      const v3 = yield c1;
      log.push([sim.now, `again ${String(v3)}`]);
    }
    sim.process(parent());
    sim.run();
    expect(log).toEqual([
      [4, 'child 4 done'],
      [4, 'parent got 8'],
      [5, 'child 1 done'],
      [5, 'parent got 2'],
      [5, 'again 8'],
    ]);
  });

  it('a child error is thrown into the waiting parent, which can handle it', () => {
    const sim = new Simulation();
    const log: Log = [];
    function* child(): ProcessGenerator<void> {
      yield 2;
      throw new Error('boom');
    }
    function* parent(): ProcessGenerator<string> {
      try {
        yield sim.process(child());
      } catch (e) {
        log.push([sim.now, `caught ${(e as Error).message}`]);
      }
      return 'ok';
    }
    const p = sim.process(parent());
    expect(sim.run(p)).toBe('ok');
    expect(log).toEqual([[2, 'caught boom']]);
  });
});

describe('failures nobody handles', () => {
  it('a process that throws with no waiter fails the run with a clear error', () => {
    const sim = new Simulation();
    function* bad(): ProcessGenerator<void> {
      yield 3;
      throw new Error('no route to NCP');
    }
    sim.process(bad(), 'pharmacy.FR.1');
    expect(() => sim.run()).toThrow(/unhandled failure of pharmacy\.FR\.1 at t=3 ms: no route to NCP/);
  });

  it('a failed event can be defused', () => {
    const sim = new Simulation();
    const ev = sim.event();
    ev.fail(new Error('expected')).defuse();
    expect(() => sim.run()).not.toThrow();
  });

  it('yielding something that is not an event is thrown into the process', () => {
    const sim = new Simulation();
    let msg = '';
    function* p(): ProcessGenerator<void> {
      try {
        yield 'soon' as unknown as number;
      } catch (e) {
        msg = (e as Error).message;
      }
    }
    sim.process(p());
    sim.run();
    expect(msg).toMatch(/yielded string soon/);
  });
});

describe('conditions', () => {
  it('anyOf triggers at the first, allOf at the last, with the succeeded events', () => {
    const sim = new Simulation();
    const log: Log = [];
    function* p(): ProcessGenerator<void> {
      const a = sim.timeout(5, 'a');
      const b = sim.timeout(2, 'b');
      const any = sim.anyOf([a, b]);
      const r1 = (yield any) as import('../../engine/index.ts').ConditionValue;
      log.push([sim.now, `any: ${r1.events.map((e) => String(e.value)).join(',')}`]);
      const r2 = (yield sim.allOf([a, b])) as import('../../engine/index.ts').ConditionValue;
      log.push([sim.now, `all: ${r2.events.map((e) => String(e.value)).join(',')}`]);
      const r3 = (yield sim.allOf([])) as import('../../engine/index.ts').ConditionValue;
      log.push([sim.now, `empty: ${r3.size}`]);
    }
    sim.process(p());
    sim.run();
    expect(log).toEqual([
      [2, 'any: b'],
      [5, 'all: a,b'],
      [5, 'empty: 0'],
    ]);
  });

  it('a timeout race: the request that loses is withdrawn', () => {
    const sim = new Simulation();
    const res = new Resource(sim, 1);
    const log: Log = [];
    function* holder(): ProcessGenerator<void> {
      const r = res.request();
      yield r;
      yield 100;
      res.release(r);
    }
    function* impatient(): ProcessGenerator<void> {
      const r = res.request();
      const t = sim.timeout(30);
      const won = (yield sim.anyOf([r, t])) as import('../../engine/index.ts').ConditionValue;
      if (!won.has(r)) {
        res.release(r); // withdraw from the queue
        log.push([sim.now, 'gave up']);
      }
    }
    sim.process(holder());
    sim.process(impatient());
    sim.run();
    expect(log).toEqual([[30, 'gave up']]);
    expect(res.queueLength).toBe(0);
    expect(res.count).toBe(0);
  });

  it('a failing child fails the condition and the waiter can catch it', () => {
    const sim = new Simulation();
    const log: Log = [];
    function* p(): ProcessGenerator<void> {
      const bad = sim.event();
      sim.timeout(4).onProcessed(() => bad.fail(new Error('4203')));
      try {
        yield sim.allOf([sim.timeout(10), bad]);
      } catch (e) {
        log.push([sim.now, (e as Error).message]);
      }
    }
    sim.process(p());
    sim.run();
    expect(log).toEqual([[4, '4203']]);
  });
});

describe('interrupts', () => {
  it('interrupt a sleeping process; the sleep is cancelled and the cause is delivered', () => {
    const sim = new Simulation();
    const log: Log = [];
    function* worker(): ProcessGenerator<void> {
      try {
        yield 100;
        log.push([sim.now, 'woke normally']);
      } catch (e) {
        if (!(e instanceof Interrupt)) throw e;
        log.push([sim.now, `interrupted: ${String(e.reason)}`]);
      }
      yield 5;
      log.push([sim.now, 'back to work']);
    }
    const w = sim.process(worker());
    function* boss(): ProcessGenerator<void> {
      yield 10;
      w.interrupt('outage');
    }
    sim.process(boss());
    sim.run();
    expect(log).toEqual([
      [10, 'interrupted: outage'],
      [15, 'back to work'],
    ]);
    expect(sim.now).toBe(15); // the cancelled wake at 100 left no trace
  });

  it('interrupt a process waiting on an event; the event no longer wakes it', () => {
    const sim = new Simulation();
    const log: Log = [];
    const ev = sim.event<string>();
    function* waiter(): ProcessGenerator<void> {
      try {
        yield ev;
      } catch (e) {
        log.push([sim.now, `interrupted ${String((e as Interrupt).reason)}`]);
      }
    }
    const w = sim.process(waiter());
    sim.timeout(3).onProcessed(() => w.interrupt('x'));
    sim.timeout(5).onProcessed(() => ev.succeed('late'));
    sim.run();
    expect(log).toEqual([[3, 'interrupted x']]);
    expect(() => w.interrupt()).toThrow(/terminated/);
  });
});

describe('resources', () => {
  it('grants FIFO up to capacity and records waits and utilisation', () => {
    const sim = new Simulation();
    const res = new Resource(sim, 2);
    const log: Log = [];
    function* user(name: string, arrive: number, hold: number): ProcessGenerator<void> {
      yield arrive;
      const r = res.request();
      yield r;
      log.push([sim.now, `${name} in`]);
      yield hold;
      res.release(r);
      log.push([sim.now, `${name} out`]);
    }
    sim.process(user('a', 0, 10));
    sim.process(user('b', 1, 10));
    sim.process(user('c', 2, 10));
    sim.process(user('d', 3, 1));
    sim.run();
    expect(log).toEqual([
      [0, 'a in'],
      [1, 'b in'],
      [10, 'a out'],
      [10, 'c in'],
      [11, 'b out'],
      [11, 'd in'],
      [12, 'd out'],
      [20, 'c out'],
    ]);
    const s = res.stats();
    expect(s.granted).toBe(4);
    expect(s.meanWaitMs).toBeCloseTo((0 + 0 + 8 + 8) / 4, 10);
    expect(s.utilisation).toBeCloseTo((10 + 10 + 10 + 1) / (2 * 20), 10);
    expect(s.maxQueueLength).toBe(2);
    // queue integral: 1 waiting over [2,3), 2 over [3,10), 1 over [10,11)
    expect(s.meanQueueLength).toBeCloseTo((1 + 14 + 1) / 20, 10);
  });

  it('PriorityResource serves lower priority values first, FIFO among equals', () => {
    const sim = new Simulation();
    const res = new PriorityResource(sim, 1);
    const order: string[] = [];
    function* user(name: string, prio: number): ProcessGenerator<void> {
      const r: Request = res.request(prio);
      yield r;
      order.push(name);
      yield 1;
      res.release(r);
    }
    sim.process(user('first', 5));
    sim.process(user('low1', 9));
    sim.process(user('emergency', 0));
    sim.process(user('low2', 9));
    sim.process(user('mid', 3));
    sim.run();
    expect(order).toEqual(['first', 'emergency', 'mid', 'low1', 'low2']);
  });

  it('rejects a bad capacity', () => {
    expect(() => new Resource(new Simulation(), 0)).toThrow(/capacity/);
  });
});

describe('stores', () => {
  it('FIFO mailbox: getters wait for items, putters wait for room', () => {
    const sim = new Simulation();
    const box = new Store<string>(sim, 1);
    const log: Log = [];
    function* producer(): ProcessGenerator<void> {
      for (const m of ['m1', 'm2', 'm3']) {
        yield box.put(m);
        log.push([sim.now, `put ${m}`]);
      }
    }
    function* consumer(): ProcessGenerator<void> {
      for (let i = 0; i < 3; i++) {
        yield 5;
        const m = yield box.get();
        log.push([sim.now, `got ${String(m)}`]);
      }
    }
    sim.process(producer());
    sim.process(consumer());
    sim.run();
    expect(log).toEqual([
      [0, 'put m1'],
      [5, 'got m1'],
      [5, 'put m2'],
      [10, 'got m2'],
      [10, 'put m3'],
      [15, 'got m3'],
    ]);
  });

  it('a cancelled get no longer takes items', () => {
    const sim = new Simulation();
    const box = new Store<number>(sim);
    const g = box.get();
    expect(box.cancel(g)).toBe(true);
    box.put(1);
    sim.run();
    expect(g.triggered).toBe(false);
    expect(box.size).toBe(1);
  });
});
