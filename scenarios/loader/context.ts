/**
 * What the section readers share while reading one scenario: the Reader (which
 * collects issues), the reference data, the scenario's date and length, and the
 * country codes written under `countries:`. A code used elsewhere must be one of
 * those; a code that is declared but unknown was already reported once, so it
 * is not reported again where it is used.
 */
import { closest } from '../../engine/index.ts';
import type { ReferenceData } from '../reference/types.ts';
import type { Reader, Value } from './reader.ts';

export interface Context {
  readonly r: Reader;
  readonly ref: ReferenceData;
  /** YYYY-MM-DD of t = 0 (the default when the scenario's is unreadable). */
  readonly startDate: string;
  /** Run length in ms (0 when unreadable). */
  readonly durationMs: number;
  /** Every key written under `countries:`, known or not. */
  readonly declared: ReadonlySet<string>;
}

/** Checks a country key under `countries:` against the reference data. */
export function knownCountry(ctx: Pick<Context, 'r' | 'ref'>, node: Value, path: string, code: string, offset = 0): boolean {
  if (Object.hasOwn(ctx.ref.countries, code)) return true;
  ctx.r.report(node, path, `unknown country \`${code}\``, {
    expected: 'the ISO 3166-1 code of an EU member state',
    hint: suggestCountry(code, Object.keys(ctx.ref.countries)),
    offset,
  });
  return false;
}

/** Checks a country used by a cohort or a link: it must be declared under `countries:`. */
export function declaredCountry(ctx: Context, node: Value, path: string, code: string, offset = 0): boolean {
  if (ctx.declared.has(code)) return true;
  if (Object.hasOwn(ctx.ref.countries, code)) {
    ctx.r.report(node, path, `country \`${code}\` is not declared`, { hint: `declare it under countries: \`${code}: {}\``, offset });
    return false;
  }
  const declared = [...ctx.declared].sort();
  const near = closest(code, declared);
  ctx.r.report(node, path, `unknown country \`${code}\``, {
    expected: declared.length > 0 ? `a country declared under countries: (${declared.join(', ')})` : 'a country declared under countries:',
    hint: near !== undefined ? `did you mean \`${near}\`?` : suggestCountry(code, Object.keys(ctx.ref.countries)),
    offset,
  });
  return false;
}

function suggestCountry(code: string, known: readonly string[]): string | undefined {
  if (code.toUpperCase() === 'EL' && known.includes('GR')) return 'Greece is `GR` in ISO 3166-1 (EL is the EU\'s own code)';
  if (code.toUpperCase() === 'UK') return 'the United Kingdom is not in MyHealth@EU';
  const near = closest(code, known);
  return near !== undefined ? `did you mean \`${near}\`?` : `known countries: ${known.join(', ')}`;
}
