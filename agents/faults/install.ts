/**
 * Installs a scenario's faults on the world: resolves each target (node ids or
 * patterns such as `pharmacy.FR.*`, a country pair, a device kind, the
 * terminology service) and starts one schedule process per fault, each on its
 * own stream `rep/fault:<id>`, so adding a fault never shifts other draws.
 */
import { sampleDuration, type RandomStream } from '../../engine/index.ts';
import type { FaultSpec } from '../../scenarios/spec.ts';
import type { FaultTally } from '../result.ts';
import type { ServiceNode } from '../service-node.ts';
import type { World } from '../world.ts';
import { drive, FaultWindows } from './schedule.ts';

export interface InstalledFaults {
  encode(now: number): Record<string, FaultTally>;
}

export function installFaults(w: World, faults: readonly FaultSpec[], rep: RandomStream): InstalledFaults {
  const installed: [FaultSpec, FaultWindows][] = [];
  for (const f of faults) {
    const windows = new FaultWindows();
    installed.push([f, windows]);
    const rng = rep.fork(`fault:${f.id}`);
    const [on, off] = effect(w, f, rng, windows);
    // A breach's window is compromise to containment, which the breach itself tracks.
    w.sim.process(drive(w.sim, f.schedule, rng, f.kind === 'breach' ? new FaultWindows() : windows, on, off), `fault:${f.id}`);
  }
  return {
    encode(now) {
      const out: Record<string, FaultTally> = {};
      for (const [f, win] of installed) out[f.id] = { kind: f.kind, target: f.targetText, windows: win.windows, activeMs: win.activeUntil(now) };
      return out;
    },
  };
}

/** Nodes matching an id or a `*` pattern, in id order. */
export function matchNodes(w: World, pattern: string): ServiceNode[] {
  const re = nodePattern(pattern);
  return w.nodes().filter((n) => re.test(n.id));
}

/** A node target as a regular expression: `*` stands for any characters within one part. */
export function nodePattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*')}$`);
}

function effect(w: World, f: FaultSpec, rng: RandomStream, windows: FaultWindows): [() => void, () => void] {
  const t = f.target;
  const now = (): number => w.sim.now;
  switch (f.kind) {
    case 'outage': {
      const nodes = t.kind === 'nodes' ? matchNodes(w, t.pattern) : [];
      if (t.kind === 'link') {
        const [a, b] = t.pair.split('-') as [string, string];
        const h = w.link(a, b);
        return [() => h.partitioned++, () => h.partitioned--];
      }
      if (t.kind === 'terminology') return [() => w.terminology.down++, () => w.terminology.down--];
      return [() => nodes.forEach((n) => n.health.goDown(now())), () => nodes.forEach((n) => n.health.comeUp(now()))];
    }
    case 'partition': {
      const [a, b] = t.kind === 'link' ? (t.pair.split('-') as [string, string]) : ['', ''];
      const h = w.link(a, b);
      return [() => h.partitioned++, () => h.partitioned--];
    }
    case 'degraded': {
      const nodes = t.kind === 'nodes' ? matchNodes(w, t.pattern) : [];
      return [() => nodes.forEach((n) => n.health.degrade(f.latencyFactor, f.errorRate)), () => nodes.forEach((n) => n.health.restore(f.latencyFactor, f.errorRate))];
    }
    case 'latencySpike': {
      const [a, b] = t.kind === 'link' ? (t.pair.split('-') as [string, string]) : ['', ''];
      const h = w.link(a, b);
      return [() => h.addSpike(f.extraLatency), () => h.removeSpike(f.extraLatency)];
    }
    case 'certificateExpiry': {
      const nodes = t.kind === 'nodes' ? matchNodes(w, t.pattern) : [];
      return [() => nodes.forEach((n) => n.health.certExpired++), () => nodes.forEach((n) => n.health.certExpired--)];
    }
    case 'terminologyOutage':
      return [() => w.terminology.down++, () => w.terminology.down--];
    case 'breach': {
      const nodes = t.kind === 'nodes' ? matchNodes(w, t.pattern) : [];
      for (const n of nodes) n.keepRecords();
      // A breach lasts until detected and contained, not for the window's length.
      return [
        () => {
          windows.open(now());
          for (const n of nodes) {
            n.health.compromised++;
            n.exposeResting(w.security);
          }
          const lasts = sampleDuration(f.detection, rng) + sampleDuration(f.containment, rng);
          w.security.exposureWindow.record(lasts);
          w.sim.timeout(lasts).onProcessed(() => {
            for (const n of nodes) n.health.compromised--;
            windows.close(now());
          });
        },
        () => {},
      ];
    }
    case 'deviceCompromise': {
      const h = t.kind === 'devices' ? w.devices[t.device] : null;
      return [() => h?.compromise(f.share), () => h?.release(f.share)];
    }
  }
}
