/**
 * `network:` -> NetworkSpec. A default cross-border link, the national link
 * (point of care to its own NCP), and per-pair overrides keyed `XX-YY` in
 * either order, stored under linkKey (codes sorted). Both ends must be
 * declared countries; writing the same pair twice (in any order) is an error.
 * A partial link override takes the rest from the default link.
 */
import { isScalar, Scalar } from 'yaml';
import { parseDistribution } from '../../engine/index.ts';
import { linkKey, type LinkSpec, type NetworkSpec } from '../spec.ts';
import { DEFAULT_LINK_LATENCY, DEFAULT_LINK_LOSS, DEFAULT_NATIONAL_LATENCY, DEFAULT_NATIONAL_LOSS } from '../defaults.ts';
import { declaredCountry, type Context } from './context.ts';
import { durationDistribution } from './distributions.ts';
import type { Entry, Value } from './reader.ts';

const LINK_KEYS = ['latency', 'loss'];

export function readNetwork(ctx: Context, e: Entry | undefined): NetworkSpec {
  const f = e && ctx.r.fields(e.value, e.path, ['latency', 'loss', 'national', 'links']);
  const base: LinkSpec = { latency: parseDistribution(DEFAULT_LINK_LATENCY, 'duration'), loss: DEFAULT_LINK_LOSS };
  const nationalBase: LinkSpec = { latency: parseDistribution(DEFAULT_NATIONAL_LATENCY, 'duration'), loss: DEFAULT_NATIONAL_LOSS };
  const def = f === undefined ? base : link(ctx, f, base);
  const national = f?.get('national');
  const nf = national && ctx.r.fields(national.value, national.path, LINK_KEYS);
  return {
    default: def,
    national: nf === undefined ? nationalBase : link(ctx, nf, nationalBase),
    links: readLinks(ctx, f?.get('links'), def),
  };
}

function link(ctx: Context, f: Map<string, Entry>, base: LinkSpec): LinkSpec {
  const lat = f.get('latency');
  const loss = f.get('loss');
  return {
    latency: (lat && durationDistribution(ctx.r, lat.value, lat.path)) ?? base.latency,
    loss: (loss && ctx.r.probability(loss.value, loss.path)) ?? base.loss,
  };
}

function readLinks(ctx: Context, e: Entry | undefined, def: LinkSpec): Record<string, LinkSpec> {
  const out: Record<string, LinkSpec> = {};
  if (e === undefined) return out;
  const seen = new Map<string, Value>();
  for (const x of ctx.r.entries(e.value, e.path, 'a mapping of country pairs, such as `FI-EE: { loss: 0.001 }`') ?? []) {
    const f = ctx.r.fields(x.value, x.path, LINK_KEYS);
    const spec = f === undefined ? def : link(ctx, f, def);
    const key = pairKey(ctx, x);
    if (key === undefined) continue;
    const first = seen.get(key);
    if (first !== undefined) {
      const firstText = isScalar(first) ? String(first.value) : key;
      ctx.r.report(x.keyNode, x.path, `duplicate link \`${x.key}\`: the same pair as \`${firstText}\` (${ctx.r.where(first)})`, { hint: 'links are symmetric; write each pair once' });
      continue;
    }
    seen.set(key, x.keyNode);
    out[key] = spec;
  }
  return out;
}

/** `FI-EE` -> `EE-FI` when both ends are declared, distinct countries. */
function pairKey(ctx: Context, x: Entry): string | undefined {
  const m = /^([^-]+)-([^-]+)$/.exec(x.key);
  if (m === null) {
    ctx.r.report(x.keyNode, x.path, `\`${x.key}\` is not a country pair`, { expected: 'two country codes joined by `-`, such as `FI-EE`' });
    return undefined;
  }
  const a = m[1]!;
  const b = m[2]!;
  const quote = isScalar(x.keyNode) && (x.keyNode.type === Scalar.QUOTE_DOUBLE || x.keyNode.type === Scalar.QUOTE_SINGLE) ? 1 : 0;
  const okA = declaredCountry(ctx, x.keyNode, x.path, a, quote);
  const okB = declaredCountry(ctx, x.keyNode, x.path, b, quote + a.length + 1);
  if (!okA || !okB) return undefined;
  if (a === b) {
    ctx.r.report(x.keyNode, x.path, `\`${x.key}\` links a country to itself`, { expected: 'two different countries', hint: 'latency within a country is `network.national`' });
    return undefined;
  }
  return linkKey(a, b);
}
