/**
 * `faults:` -> FaultSpecs, in the order written. Each fault has a kind, a
 * target and a schedule:
 *
 * - target: a node id or `*` pattern over the nodes of the declared countries
 *   (`ncp.FR`, `pharmacy.FR.*`, `hospital.*.0`; it must match at least one),
 *   `link FR-DE` (stored sorted, `DE-FR`), `device.cgm`, or `terminology`.
 *   Each kind accepts some of these (ACCEPTS); terminologyOutage needs none.
 * - schedule: one window (`at` + `for`), recurring windows (`at` + `for` +
 *   `every`, optionally `until`, else until the end of the run), or at random
 *   (`mtbf` + `mttr`). A breach has only `at`: it lasts until it is detected
 *   and contained, so its window is the instant `at`.
 * - parameters that only one kind takes (`factor`, `share`, ...) are errors
 *   on any other kind; left out, they take their defaults.
 *
 * Ids are optional (`<kind>-<index>`) and unique: an id also names the
 * fault's random stream and its line in the Report.
 */
import { isScalar, Scalar, type Node } from 'yaml';
import { closest, formatDuration, mean, parseDistribution, type Distribution } from '../../engine/index.ts';
import { DEVICE_KINDS, linkKey, type CountrySpec, type DeviceKind, type FaultKind, type FaultSchedule, type FaultSpec, type FaultTarget } from '../spec.ts';
import {
  DEFAULT_BREACH_CONTAINMENT,
  DEFAULT_BREACH_DETECTION,
  DEFAULT_COMPROMISE_SHARE,
  DEFAULT_DEGRADED_ERROR_RATE,
  DEFAULT_DEGRADED_FACTOR,
  DEFAULT_EXTRA_LATENCY,
} from '../defaults.ts';
import { declaredCountry, type Context } from './context.ts';
import { durationDistribution } from './distributions.ts';
import { child, isNull, type Entry, type Reader, type Value } from './reader.ts';

type TargetKind = FaultTarget['kind'];

/** What each fault kind may hit (a Record so the compiler checks every kind is here). */
const ACCEPTS: Readonly<Record<FaultKind, readonly TargetKind[]>> = {
  outage: ['nodes', 'link', 'terminology'],
  degraded: ['nodes'],
  partition: ['link'],
  latencySpike: ['link'],
  certificateExpiry: ['nodes'],
  terminologyOutage: ['terminology'],
  breach: ['nodes'],
  deviceCompromise: ['devices'],
};
const FAULT_KINDS = Object.keys(ACCEPTS) as FaultKind[];

/** Parameters that one kind only takes. */
const PARAMS: Readonly<Record<string, FaultKind>> = {
  factor: 'degraded',
  errorRate: 'degraded',
  extraLatency: 'latencySpike',
  detection: 'breach',
  containment: 'breach',
  share: 'deviceCompromise',
};
const TIMETABLE = ['at', 'for', 'every', 'until'];
const RANDOM = ['mtbf', 'mttr'];
const FAULT_KEYS = ['id', 'kind', 'target', ...TIMETABLE, ...RANDOM, ...Object.keys(PARAMS)];

const TARGET_FORMS: Readonly<Record<TargetKind, string>> = {
  nodes: 'a node id or pattern such as `ncp.FR` or `pharmacy.FR.*`',
  link: 'a link such as `link FR-DE`',
  devices: 'a device kind such as `device.cgm`',
  terminology: '`terminology`',
};
const TARGET_NAMES: Readonly<Record<TargetKind, string>> = { nodes: 'a node', link: 'a link', devices: 'devices', terminology: 'the terminology service' };
/** Node roles and how many dot-separated parts their ids have. */
const ROLES: Readonly<Record<string, { parts: number; plural: 'pharmacies' | 'hospitals' | '' }>> = {
  ncp: { parts: 2, plural: '' },
  pharmacy: { parts: 3, plural: 'pharmacies' },
  hospital: { parts: 3, plural: 'hospitals' },
};
const NODE_PATTERN = /^[A-Za-z0-9_*-]+(\.[A-Za-z0-9_*-]+)*$/;
const ID = /^[A-Za-z0-9_.-]+$/;

export function readFaults(ctx: Context, e: Entry | undefined, countries: Readonly<Record<string, CountrySpec>>): FaultSpec[] {
  if (e === undefined || isNull(e.value)) return [];
  const items = ctx.r.list(e.value, e.path, 'a list of faults, each starting with `- `');
  if (items === undefined) return [];
  const nodes = new Nodes(countries);
  const out: FaultSpec[] = [];
  const ids = new Map<string, Value>();
  items.forEach((it, index) => {
    const fault = readFault(ctx, it.node, it.path, index, nodes);
    if (fault === undefined) return;
    const first = ids.get(fault.spec.id);
    if (first !== undefined) {
      ctx.r.report(fault.idNode, child(it.path, 'id'), `duplicate fault id \`${fault.spec.id}\` (first at ${ctx.r.where(first)})`, { hint: 'give each fault its own `id`' });
    } else {
      ids.set(fault.spec.id, fault.idNode);
    }
    out.push(fault.spec);
  });
  return out;
}

function readFault(ctx: Context, node: Value, path: string, index: number, nodes: Nodes): { spec: FaultSpec; idNode: Value } | undefined {
  const { r } = ctx;
  const f = r.fields(node, path, FAULT_KEYS, ['kind']);
  if (f === undefined) return undefined;
  const k = f.get('kind');
  const kind = k && r.oneOf(k.value, k.path, FAULT_KINDS);
  const id = f.get('id');
  const given = id && readId(r, id.value, id.path);
  const target = readTarget(ctx, f, node, path, kind, nodes);
  const schedule = kind === 'breach' ? breachSchedule(ctx, f, node, path) : readSchedule(ctx, f, node, path);
  // Parameters of other kinds are refused; their values are not read.
  const param = (key: string): Entry | undefined => {
    const x = f.get(key);
    if (x === undefined || kind === undefined || PARAMS[key] === kind) return x;
    r.report(x.keyNode, x.path, `\`${key}\` applies to ${PARAMS[key]} faults only`, { hint: `this fault is ${article(kind)} ${kind}; remove \`${key}\`` });
    return undefined;
  };
  const dist = (key: string, fallback: string): Distribution => {
    const x = param(key);
    return (x && durationDistribution(r, x.value, x.path)) ?? parseDistribution(fallback, 'duration');
  };
  const factor = param('factor');
  const errorRate = param('errorRate');
  const share = param('share');
  const spec: FaultSpec = {
    id: given ?? `${kind ?? 'fault'}-${index}`,
    kind: kind ?? 'outage',
    targetText: target?.text ?? '',
    target: target?.target ?? { kind: 'terminology' },
    schedule: schedule ?? { kind: 'window', fromMs: 0, toMs: 0 },
    latencyFactor: (factor && r.number(factor.value, factor.path, { min: 1 }, 'a latency multiplier >= 1 (3 = three times slower)')) ?? DEFAULT_DEGRADED_FACTOR,
    errorRate: (errorRate && r.probability(errorRate.value, errorRate.path)) ?? DEFAULT_DEGRADED_ERROR_RATE,
    extraLatency: dist('extraLatency', DEFAULT_EXTRA_LATENCY),
    detection: dist('detection', DEFAULT_BREACH_DETECTION),
    containment: dist('containment', DEFAULT_BREACH_CONTAINMENT),
    share: (share && r.probability(share.value, share.path)) ?? DEFAULT_COMPROMISE_SHARE,
  };
  if (kind === 'degraded' && factor === undefined && errorRate === undefined) {
    r.report(node, path, 'a degraded fault without `factor` or `errorRate` changes nothing', { hint: 'add `factor: 3` (three times slower) or `errorRate: 0.2` (one request in five fails)' });
  }
  return { spec, idNode: id?.value ?? node };
}

function readId(r: Reader, node: Value, path: string): string | undefined {
  const id = r.text(node, path, 'a fault id such as fr-ncp-down');
  if (id === undefined) return undefined;
  if (ID.test(id)) return id;
  const clean = id.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  r.report(node, path, `\`${id}\` is not a fault id`, { expected: 'letters, digits, `_`, `-` and `.`', hint: clean === '' ? undefined : `write \`${clean}\`` });
  return undefined;
}

// ---- targets ---------------------------------------------------------------

function readTarget(ctx: Context, f: Map<string, Entry>, mapNode: Value, path: string, kind: FaultKind | undefined, nodes: Nodes): { text: string; target: FaultTarget } | undefined {
  const { r } = ctx;
  const t = f.get('target');
  if (t === undefined) {
    if (kind === 'terminologyOutage') return { text: 'terminology', target: { kind: 'terminology' } };
    if (kind === undefined) return undefined; // what is required depends on the kind, which was reported
    const example = { nodes: 'ncp.FR', link: 'link FR-DE', devices: 'device.cgm', terminology: 'terminology' }[ACCEPTS[kind][0]!];
    r.report(mapNode, child(path, 'target'), 'missing required key', { hint: `add \`target: ${example}\`` });
    return undefined;
  }
  const text = r.text(t.value, t.path, `a target: ${orList(Object.values(TARGET_FORMS))}`);
  if (text === undefined) return undefined;
  const node = t.value;
  const at = quoteOffset(node);
  const tk = classify(ctx, node, t.path, text, at);
  if (tk === undefined) return undefined;
  if (kind !== undefined && !ACCEPTS[kind].includes(tk)) {
    const accepts = ACCEPTS[kind].map((x) => TARGET_FORMS[x]);
    r.report(node, t.path, `${article(kind)} ${kind} fault cannot target ${TARGET_NAMES[tk]}`, { expected: orList(accepts), hint: kindHint(kind, tk) });
    return undefined;
  }
  switch (tk) {
    case 'terminology':
      return { text, target: { kind: 'terminology' } };
    case 'link': {
      const pair = linkPair(ctx, node, t.path, text, at);
      return pair === undefined ? undefined : { text, target: { kind: 'link', pair } };
    }
    case 'devices': {
      const device = deviceKind(r, node, t.path, text, at);
      return device === undefined ? undefined : { text, target: { kind: 'devices', device } };
    }
    case 'nodes':
      return nodes.check(ctx, node, t.path, text, at) ? { text, target: { kind: 'nodes', pattern: text } } : undefined;
  }
}

/** Which kind of target the text is written as; undefined (reported) when it is none. */
function classify(ctx: Context, node: Value, path: string, text: string, at: number): TargetKind | undefined {
  if (text === 'terminology') return 'terminology';
  if (/^link\s/.test(text)) return 'link';
  if (text.startsWith('device.')) return 'devices';
  const notTarget = (hint?: string, offset = 0): undefined => {
    ctx.r.report(node, path, `\`${text}\` is not a target`, { expected: orList(Object.values(TARGET_FORMS)), hint, offset: at + offset });
    return undefined;
  };
  const pair = /([A-Za-z]{2})-([A-Za-z]{2})$/.exec(text);
  if (/^links?\b/i.test(text) || /^[A-Za-z]{2}-[A-Za-z]{2}$/.test(text)) return notTarget(`write a link as \`link ${pair === null ? 'FR-DE' : `${pair[1]}-${pair[2]}`}\``);
  const dev = /^devices?[^A-Za-z0-9](.*)$/i.exec(text);
  if (dev !== null) return notTarget(`write \`device.${dev[1]}\``);
  if (!text.includes('.') && !text.includes('*') && closest(text, ['terminology']) !== undefined) return notTarget('did you mean `terminology`?');
  if (NODE_PATTERN.test(text)) return 'nodes';
  const bad = /[^A-Za-z0-9_*.-]/.exec(text);
  return notTarget(bad === null ? undefined : 'node ids are parts joined by `.`, each letters, digits or `*`', bad?.index ?? 0);
}

function kindHint(kind: FaultKind, target: TargetKind): string | undefined {
  if (target === 'nodes' && kind === 'partition') return 'to take a node down, use kind: outage';
  if (target === 'nodes' && kind === 'latencySpike') return 'to slow a node down, use kind: degraded';
  if (target === 'nodes' && kind === 'deviceCompromise') return 'to compromise a node, use kind: breach';
  if (target === 'link' && kind === 'degraded') return 'to slow a link down, use kind: latencySpike';
  if (kind === 'terminologyOutage') return 'leave `target` out: a terminologyOutage takes the terminology service down';
  if (target === 'devices') return 'devices are taken over with kind: deviceCompromise';
  if (target === 'terminology') return 'to take the terminology service down, use kind: terminologyOutage or outage';
  return undefined;
}

/** `link FR-DE` -> `DE-FR` when both ends are declared, distinct countries. */
function linkPair(ctx: Context, node: Value, path: string, text: string, at: number): string | undefined {
  const lead = /^link\s+/.exec(text)![0].length;
  const m = /^([^-\s]+)-([^-\s]+)$/.exec(text.slice(lead));
  if (m === null) {
    ctx.r.report(node, path, `\`${text}\` is not a country pair`, { expected: 'two country codes joined by `-`, such as `link FR-DE`', offset: at + lead });
    return undefined;
  }
  const a = m[1]!;
  const b = m[2]!;
  const okA = declaredCountry(ctx, node, path, a, at + lead);
  const okB = declaredCountry(ctx, node, path, b, at + lead + a.length + 1);
  if (!okA || !okB) return undefined;
  if (a === b) {
    ctx.r.report(node, path, `\`${text}\` links a country to itself`, { expected: 'two different countries', offset: at + lead });
    return undefined;
  }
  return linkKey(a, b);
}

function deviceKind(r: Reader, node: Value, path: string, text: string, at: number): DeviceKind | undefined {
  const name = text.slice('device.'.length);
  const found = DEVICE_KINDS.find((d) => d === name);
  if (found !== undefined) return found;
  const near = closest(name, DEVICE_KINDS);
  r.report(node, path, `unknown device kind \`${name}\``, { expected: `one of ${DEVICE_KINDS.join(', ')}`, hint: near === undefined ? undefined : `did you mean \`device.${near}\`?`, offset: at + 'device.'.length });
  return undefined;
}

/** The nodes of the declared countries, and why a pattern matches none of them. */
class Nodes {
  readonly ids: readonly string[];
  private readonly codes: readonly string[];
  constructor(private readonly countries: Readonly<Record<string, CountrySpec>>) {
    this.codes = Object.keys(countries).sort();
    const ids: string[] = [];
    for (const c of this.codes) {
      const spec = countries[c]!;
      ids.push(`ncp.${c}`);
      for (let i = 0; i < spec.pharmacies.count; i++) ids.push(`pharmacy.${c}.${i}`);
      for (let i = 0; i < spec.hospitals.count; i++) ids.push(`hospital.${c}.${i}`);
    }
    this.ids = ids;
  }

  /** True when `pattern` matches a node; else reports why (unless a country problem was reported already). */
  check(ctx: Context, node: Value, path: string, pattern: string, at: number): boolean {
    if (this.codes.length === 0) return true; // no readable country: reported under countries:
    const re = globRegExp(pattern);
    if (this.ids.some((id) => re.test(id))) return true;
    const why = this.diagnose(ctx, pattern);
    if (why === 'reported') return false;
    const c = this.codes[0]!;
    ctx.r.report(node, path, 'target matches no node', { expected: `a node of the declared countries, such as ncp.${c}, pharmacy.${c}.* or hospital.*.0`, hint: why.hint, offset: at + why.offset });
    return false;
  }

  private diagnose(ctx: Context, pattern: string): { offset: number; hint: string | undefined } | 'reported' {
    const segs: { text: string; start: number }[] = [];
    let start = 0;
    for (const s of pattern.split('.')) {
      segs.push({ text: s, start });
      start += s.length + 1;
    }
    const [role, country, index] = segs;
    const wild = (s: { text: string } | undefined): boolean => s === undefined || s.text.includes('*');
    const rest = segs.slice(1).map((s) => s.text);
    const roleSpec = role !== undefined && !wild(role) ? ROLES[role.text] : undefined;
    // The role: ncp, pharmacy or hospital.
    if (role !== undefined && !wild(role) && roleSpec === undefined) {
      const near = closest(role.text, Object.keys(ROLES));
      if (near !== undefined) return { offset: 0, hint: `did you mean \`${[near, ...rest].join('.')}\`?` };
      if (ctx.declared.has(role.text)) return { offset: 0, hint: `the NCP of ${role.text} is \`ncp.${role.text}\`; its pharmacies are \`pharmacy.${role.text}.*\`` };
      return { offset: 0, hint: 'node ids are ncp.<country>, pharmacy.<country>.<n> and hospital.<country>.<n>' };
    }
    // The country: declared, and known.
    if (country !== undefined && !wild(country) && !Object.hasOwn(this.countries, country.text)) {
      if (ctx.declared.has(country.text)) return 'reported';
      if (Object.hasOwn(ctx.ref.countries, country.text)) {
        return { offset: country.start, hint: `country \`${country.text}\` is not declared; declare it under countries: \`${country.text}: {}\`` };
      }
      const near = closest(country.text, this.codes);
      const fixed = segs.map((s) => (s === country ? near : s.text)).join('.');
      return { offset: country.start, hint: near !== undefined ? `did you mean \`${fixed}\`?` : `declared countries: ${this.codes.join(', ')}` };
    }
    // The shape: ncp.XX, pharmacy.XX.n, hospital.XX.n.
    if (roleSpec !== undefined && segs.length !== roleSpec.parts) {
      if (segs.length < roleSpec.parts) {
        const more = roleSpec.parts - segs.length;
        return { offset: pattern.length, hint: `did you mean \`${pattern}${'.*'.repeat(more)}\`?` };
      }
      const extra = segs[roleSpec.parts]!;
      const hint = role!.text === 'ncp' ? `an NCP id has no number: \`${segs.slice(0, 2).map((s) => s.text).join('.')}\`` : `${role!.text} ids have three parts: ${role!.text}.<country>.<n>`;
      return { offset: extra.start - 1, hint };
    }
    // The number, for pharmacies and hospitals of one country.
    if (roleSpec !== undefined && roleSpec.plural !== '' && country !== undefined && !wild(country) && index !== undefined) {
      const r = role!.text;
      const n = this.countries[country.text]![roleSpec.plural].count;
      if (!wild(index) && /^0\d/.test(index.text) && Number(index.text) < n) return { offset: index.start, hint: `write \`${r}.${country.text}.${Number(index.text)}\`` };
      const hint =
        n === 0
          ? `${country.text} has no ${roleSpec.plural} (countries.${country.text}.${roleSpec.plural}.count is 0)`
          : `${country.text} has ${n} ${n === 1 ? r : roleSpec.plural}: ${r}.${country.text}.0${n === 1 ? '' : ` to ${r}.${country.text}.${n - 1}`}`;
      return { offset: index.start, hint };
    }
    if (roleSpec !== undefined && roleSpec.plural !== '') {
      const plural = roleSpec.plural;
      if (this.codes.every((c) => this.countries[c]![plural].count === 0)) return { offset: 0, hint: `no declared country has ${plural} (their count is 0)` };
    }
    const near = closest(pattern, this.ids);
    return { offset: 0, hint: near !== undefined ? `did you mean \`${near}\`?` : `node ids here look like ${this.example()}` };
  }

  private example(): string {
    const c = this.codes[0]!;
    const spec = this.countries[c]!;
    const range = (r: string, n: number): string[] => (n === 0 ? [] : [n === 1 ? `${r}.${c}.0` : `${r}.${c}.0 to ${r}.${c}.${n - 1}`]);
    return [`ncp.${c}`, ...range('pharmacy', spec.pharmacies.count), ...range('hospital', spec.hospitals.count)].join(', ');
  }
}

/** A node pattern as agents/faults reads it: `*` stands for any characters within one part. */
function globRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*')}$`);
}

// ---- schedules -------------------------------------------------------------

/** A breach starts at `at` and lasts until detected and contained: the window is that instant. */
function breachSchedule(ctx: Context, f: Map<string, Entry>, mapNode: Value, path: string): FaultSchedule | undefined {
  const { r } = ctx;
  for (const k of [...TIMETABLE, ...RANDOM]) {
    const x = f.get(k);
    if (k === 'at' || x === undefined) continue;
    r.report(x.keyNode, x.path, `\`${k}\` does not apply to breach faults`, { hint: 'a breach starts once, at `at`, and lasts until it is detected and contained (`detection`, `containment`)' });
  }
  const at = f.get('at');
  if (at === undefined) {
    r.report(mapNode, child(path, 'at'), 'missing required key', { hint: 'add `at: ...`: when the breach starts, from time 0' });
    return undefined;
  }
  const ms = start(ctx, at);
  return ms === undefined ? undefined : { kind: 'window', fromMs: ms, toMs: ms };
}

function readSchedule(ctx: Context, f: Map<string, Entry>, mapNode: Value, path: string): FaultSchedule | undefined {
  const { r } = ctx;
  const get = (k: string): Entry | undefined => f.get(k);
  const timetable = TIMETABLE.map(get).filter((x): x is Entry => x !== undefined);
  const random = RANDOM.map(get).filter((x): x is Entry => x !== undefined);
  if (timetable.length === 0 && random.length === 0) {
    r.report(mapNode, path, 'no schedule', {
      expected: '`at` and `for` (one window), plus `every` (recurring), or `mtbf` and `mttr` (at random)',
      hint: 'add `at: 1d` and `for: 6h`',
    });
    return undefined;
  }
  // Every value is read (and its problems reported) before the forms are checked.
  const at = get('at');
  const len = get('for');
  const every = get('every');
  const until = get('until');
  const mtbf = get('mtbf');
  const mttr = get('mttr');
  const atMs = at && start(ctx, at);
  const forMs = len && r.duration(len.value, len.path, true);
  const everyMs = every && r.duration(every.value, every.path, true);
  const untilMs = until && r.duration(until.value, until.path, true);
  const up = mtbf && meanTime(r, mtbf);
  const down = mttr && meanTime(r, mttr);
  if (timetable.length > 0 && random.length > 0) {
    const a = timetable[0]!;
    const b = random[0]!;
    const later = offsetOf(b.keyNode) > offsetOf(a.keyNode) ? b : a;
    r.report(later.keyNode, later.path, `mixed schedules: \`${a.key}\` (a timetable) and \`${b.key}\` (at random)`, { hint: 'a fault follows either `at`/`for`/`every` or `mtbf`/`mttr`; keep one' });
    return undefined;
  }
  if (random.length > 0) {
    if (mtbf === undefined) r.report(mapNode, child(path, 'mtbf'), 'missing required key', { hint: 'add `mtbf: ...`: the mean time between failures, e.g. exp(30d)' });
    if (mttr === undefined) r.report(mapNode, child(path, 'mttr'), 'missing required key', { hint: 'add `mttr: ...`: the mean time to repair, e.g. lognormal(2h, 0.5)' });
    return up === undefined || down === undefined ? undefined : { kind: 'stochastic', mtbf: up, mttr: down };
  }
  if (at === undefined) r.report(mapNode, child(path, 'at'), 'missing required key', { hint: 'add `at: ...`: when the fault starts, from time 0' });
  if (len === undefined) r.report(mapNode, child(path, 'for'), 'missing required key', { hint: 'add `for: ...`: how long the fault lasts' });
  if (until !== undefined && every === undefined) {
    r.report(until.keyNode, until.path, '`until` applies to recurring faults only', { hint: 'add `every: ...`, or remove `until`' });
    return undefined;
  }
  if (atMs === undefined || forMs === undefined) return undefined;
  if (every === undefined) return { kind: 'window', fromMs: atMs, toMs: atMs + forMs };
  if (everyMs === undefined) return undefined;
  let ok = true;
  if (everyMs < forMs) {
    r.report(every.value, every.path, `every ${src(every.value)} is shorter than for ${src(len!.value)}: the windows would overlap`, { expected: '`every` >= `for`' });
    ok = false;
  }
  if (until !== undefined && untilMs !== undefined && untilMs <= atMs) {
    r.report(until.value, until.path, `until ${src(until.value)} is not after at ${src(at!.value)}`, { expected: 'a time after `at`' });
    ok = false;
  }
  if (!ok || (until !== undefined && untilMs === undefined)) return undefined;
  return { kind: 'recurring', firstMs: atMs, forMs, everyMs, untilMs: untilMs ?? ctx.durationMs };
}

/** `at`: a time from 0, before the end of the run. */
function start(ctx: Context, at: Entry): number | undefined {
  const ms = ctx.r.duration(at.value, at.path, false);
  if (ms === undefined) return undefined;
  if (ctx.durationMs > 0 && ms >= ctx.durationMs) {
    const run = formatDuration(ctx.durationMs);
    ctx.r.report(at.value, at.path, `window past the end: the fault starts at ${src(at.value)}, the run lasts ${run}`, { expected: `a time before ${run}`, hint: 'start the fault earlier, or make `duration` longer' });
    return undefined;
  }
  return ms;
}

/** mtbf / mttr: a duration distribution whose mean is > 0 (else up and down would alternate in no time). */
function meanTime(r: Reader, e: Entry): Distribution | undefined {
  const d = durationDistribution(r, e.value, e.path);
  if (d === undefined) return undefined;
  if (!(mean(d) > 0)) {
    r.report(e.value, e.path, `the distribution ${src(e.value)} has a mean of 0`, { expected: 'a distribution with a mean > 0, such as exp(30d)' });
    return undefined;
  }
  return d;
}

// ---- small helpers ---------------------------------------------------------

function quoteOffset(node: Value): number {
  return isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) ? 1 : 0;
}

function offsetOf(node: Node): number {
  return node.range?.[0] ?? 0;
}

function src(node: Value): string {
  return isScalar(node) ? (node.source ?? String(node.value)) : '';
}

function article(kind: FaultKind): string {
  return /^[aeiou]/.test(kind) ? 'an' : 'a';
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]!}`;
}
