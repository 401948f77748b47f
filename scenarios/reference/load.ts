/**
 * Loads the shipped reference data (countries.yaml, catalogue.yaml), checks it strictly
 * and returns it deep-frozen; bad data throws a ReferenceDataError with file, line,
 * path (`countries.DE.services[2].status`) and hint. Nothing is cached: callers keep
 * the result. serviceStatus, offers and medication are pure functions of their arguments.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { closest } from '../../engine/suggest.ts';
import {
  AGE_BANDS,
  COUNTRY_ROLES,
  DOCUMENT_KINDS,
  MEDICATION_FLAGS,
  OBSERVATION_KINDS,
  SERVICE_NAMES,
  SERVICE_STATUSES,
  SUBSTITUTION_CODES,
  VKAS,
  type AgeBand,
  type Catalogue,
  type ConditionEntry,
  type ConditionVariant,
  type CountryFacts,
  type CountryRole,
  type DispensingRules,
  type DocumentCode,
  type DocumentKind,
  type DoseFormEntry,
  type IsoDate,
  type MedicationEntry,
  type MedicationFlag,
  type ObservationCode,
  type ObservationKind,
  type ReferenceData,
  type ServiceFact,
  type ServiceName,
  type ServiceStatus,
} from './types.ts';

export const COUNTRIES_FILE = 'countries.yaml';
export const CATALOGUE_FILE = 'catalogue.yaml';

/** Bad reference data. `path` is empty when the problem is the file as a whole. */
export class ReferenceDataError extends Error {
  /** Stable discriminator: class identity is lost across worker structured clone. */
  readonly code = 'BAD_REFERENCE_DATA';
  readonly file: string;
  readonly path: string;
  readonly hint: string;
  /** 1-based position of the offending node, when it could be found in the YAML. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(init: {
    file: string;
    path: string;
    problem: string;
    hint: string;
    line?: number | undefined;
    column?: number | undefined;
  }) {
    const where = init.line === undefined ? init.file : `${init.file}:${init.line}:${init.column ?? 1}`;
    super(`${where}: ${init.path === '' ? '' : `${init.path}: `}${init.problem}`);
    this.name = 'ReferenceDataError';
    this.file = init.file;
    this.path = init.path;
    this.hint = init.hint;
    this.line = init.line;
    this.column = init.column;
  }
}

/** Reads, checks and freezes both files from `dir` (default: the folder of this module). */
export function loadReferenceData(dir?: string): ReferenceData {
  const base = dir ?? fileURLToPath(new URL('.', import.meta.url));
  const countriesFile = read(join(base, COUNTRIES_FILE));
  const catalogueFile = read(join(base, CATALOGUE_FILE));
  const countries = readCountries(countriesFile);
  const catalogue = readCatalogue(catalogueFile);
  return deepFreeze({ countries, catalogue });
}

/**
 * The status of (service, role) in a country on `asOf`. A fact applies from
 * `since` if given, else from its `asOf`; the applicable fact with the latest
 * such date wins, ties going to the later fact in the list (so facts a
 * scenario appends win ties). A `live` fact whose `since` is after the date but
 * whose `asOf` is not reads `planned` (announced, not yet live). No applicable
 * fact: `none`.
 */
export function serviceStatus(facts: CountryFacts, service: ServiceName, role: CountryRole, asOf: IsoDate): ServiceStatus {
  if (!isIsoDate(asOf)) throw new RangeError(`serviceStatus: "${asOf}" is not a YYYY-MM-DD date`);
  let best: ServiceStatus = 'none';
  let bestKey = '';
  for (const f of facts.services) {
    if (f.service !== service || f.role !== role) continue;
    let key: string;
    let status: ServiceStatus;
    if (f.since !== undefined && f.since <= asOf) {
      key = f.since;
      status = f.status;
    } else if (f.since !== undefined) {
      // Only a live fact says anything before its `since`: that it is announced.
      if (f.status !== 'live' || f.asOf > asOf) continue;
      key = f.asOf;
      status = 'planned';
    } else if (f.asOf <= asOf) {
      key = f.asOf;
      status = f.status;
    } else {
      continue;
    }
    if (key >= bestKey) {
      bestKey = key;
      best = status;
    }
  }
  return best;
}

/** True when the country runs (service, role) live on `asOf`. */
export function offers(facts: CountryFacts, service: ServiceName, role: CountryRole, asOf: IsoDate): boolean {
  return serviceStatus(facts, service, role, asOf) === 'live';
}

/** The catalogue entry of an ATC code, or undefined if the catalogue has none. */
export function medication(catalogue: Catalogue, atc: string): MedicationEntry | undefined {
  return catalogue.medications.find((m) => m.atc === atc);
}

// ---------------------------------------------------------------------------
// Reading YAML with positions

type Seg = string | number;
type Path = readonly Seg[];

interface SourceFile {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly data: unknown;
}

function read(file: string): SourceFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ReferenceDataError({
      file,
      path: '',
      problem: `cannot read the file (${cause instanceof Error ? cause.message : String(cause)})`,
      hint: `pass loadReferenceData the folder that holds ${COUNTRIES_FILE} and ${CATALOGUE_FILE}`,
    });
  }
  const lines = new LineCounter();
  // YAML 1.2 core schema: `NO`, `N`, `off` stay strings and dates stay strings.
  const doc = parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  const err = doc.errors[0];
  if (err !== undefined) {
    const pos = lines.linePos(err.pos[0]);
    throw new ReferenceDataError({
      file,
      path: '',
      problem: `YAML syntax: ${err.message}`,
      hint:
        err.code === 'DUPLICATE_KEY'
          ? 'each key may appear once per mapping'
          : 'quote values that contain [ ] { } , : or #, and indent with spaces',
      line: pos.line,
      column: pos.col,
    });
  }
  return { file, doc, lines, data: doc.toJS({ maxAliasCount: 100 }) };
}

/** The node at `path`, or the deepest ancestor found, as a 1-based line/column. */
function locate(src: SourceFile, path: Path): { line: number; column: number } | undefined {
  let node: unknown = src.doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(src.doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      next = pair === undefined ? undefined : (pair.value ?? pair.key);
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    const start = rangeStart(next);
    if (start === undefined) break;
    node = next;
    offset = start;
  }
  if (offset === undefined) return undefined;
  const pos = src.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range: unknown = node.range;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}

function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Checking primitives: each returns the typed value or throws with the path.

class Checker {
  constructor(private readonly src: SourceFile) {}

  fail(path: Path, problem: string, hint: string): never {
    const pos = locate(this.src, path);
    throw new ReferenceDataError({ file: this.src.file, path: formatPath(path), problem, hint, line: pos?.line, column: pos?.column });
  }

  /** A mapping with exactly the allowed keys (all `required` present). */
  obj(v: unknown, path: Path, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.fail(path, `expected a mapping, got ${describe(v)}`, `write it as key: value lines (keys: ${[...required, ...optional].join(', ')})`);
    }
    const rec = v as Record<string, unknown>;
    const allowed = [...required, ...optional];
    for (const key of Object.keys(rec)) {
      if (!allowed.includes(key)) {
        const near = closest(key, allowed);
        this.fail([...path, key], `unknown key "${key}"`, near === undefined ? `allowed keys: ${allowed.join(', ')}` : `did you mean "${near}"?`);
      }
    }
    for (const key of required) {
      if (!(key in rec) || rec[key] === null || rec[key] === undefined) this.fail(path, `missing key "${key}"`, `add ${key}:`);
    }
    return rec;
  }

  /** A mapping whose keys the caller checks. */
  map(v: unknown, path: Path, what: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, `expected a mapping of ${what}, got ${describe(v)}`, 'write it as key: value lines');
    return v as Record<string, unknown>;
  }

  arr(v: unknown, path: Path, what: string): readonly unknown[] {
    if (!Array.isArray(v)) this.fail(path, `expected a list of ${what}, got ${describe(v)}`, 'write it as [a, b] or as "- " lines');
    return v;
  }

  str(v: unknown, path: Path): string {
    if (typeof v !== 'string') {
      this.fail(path, `expected a string, got ${describe(v)}`, typeof v === 'number' ? 'quote it, e.g. "10219000": unquoted digits read as a number' : 'write a text value');
    }
    if (v.trim() === '') this.fail(path, 'empty string', 'write a value or remove the key if it is optional');
    return v;
  }

  match(v: unknown, path: Path, re: RegExp, what: string, example: string): string {
    const s = this.str(v, path);
    if (!re.test(s)) this.fail(path, `"${s}" is not ${what}`, `expected something like ${example}`);
    return s;
  }

  oneOf<T extends string>(v: unknown, path: Path, values: readonly T[]): T {
    const s = this.str(v, path);
    if (!(values as readonly string[]).includes(s)) {
      const near = closest(s, values);
      this.fail(path, `"${s}" is not one of ${values.join(', ')}`, near === undefined ? `use one of ${values.join(', ')}` : `did you mean "${near}"?`);
    }
    return s as T;
  }

  bool(v: unknown, path: Path): boolean {
    if (typeof v !== 'boolean') this.fail(path, `expected true or false, got ${describe(v)}`, 'write true or false, unquoted');
    return v;
  }

  num(v: unknown, path: Path, min: number, max: number, what: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, `expected a number, got ${describe(v)}`, `write ${what}, unquoted`);
    if (v < min || v > max) this.fail(path, `${v} is out of range`, `${what} must be within [${min}, ${max}]`);
    return v;
  }

  date(v: unknown, path: Path): IsoDate {
    if (typeof v !== 'string' || !isIsoDate(v)) {
      this.fail(path, `${describe(v)} is not a calendar date`, 'write YYYY-MM-DD, e.g. 2019-01-21; for a month or year only, use its last day');
    }
    return v;
  }

  unique(values: readonly string[], path: Path, what: string): void {
    const seen = new Set<string>();
    values.forEach((v, i) => {
      if (seen.has(v)) this.fail([...path, i], `duplicate ${what} "${v}"`, `list each ${what} once`);
      seen.add(v);
    });
  }
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v}"`;
  return `${typeof v} ${String(v)}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day <= days;
}

/** LOINC codes end in a mod-10 (Luhn) check digit over the digits before the dash. */
function loincCheckDigitOk(code: string): boolean {
  const [body, check] = code.split('-');
  if (body === undefined || check === undefined) return false;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(check);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// ---------------------------------------------------------------------------
// countries.yaml

/** EU member states plus the EEA/EFTA states that may join MyHealth@EU. */
const KNOWN_COUNTRIES: Readonly<Record<string, true>> = Object.fromEntries(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO CH'.split(' ').map((c) => [c, true]),
);

const LOCALE_RE = /^(base|[a-z]{2,3}(_[A-Za-z0-9]+)*)$/;

function readCountries(src: SourceFile): Readonly<Record<string, CountryFacts>> {
  const c = new Checker(src);
  const root = c.obj(src.data, [], ['countries']);
  const map = c.map(root.countries, ['countries'], 'countries keyed by ISO code');
  const out: Record<string, CountryFacts> = {};
  for (const code of Object.keys(map).sort()) {
    const path: Path = ['countries', code];
    if (KNOWN_COUNTRIES[code] !== true) {
      c.fail(path, `"${code}" is not an EU/EEA country code`, code === 'EL' ? 'use the ISO code GR for Greece' : 'use ISO 3166-1 alpha-2 codes in capitals, e.g. DE');
    }
    out[code] = readCountry(c, map[code], path, code);
  }
  if (Object.keys(out).length === 0) c.fail(['countries'], 'no countries', 'list at least one country');
  return out;
}

function readCountry(c: Checker, v: unknown, path: Path, code: string): CountryFacts {
  const o = c.obj(v, path, ['name', 'fakerLocales', 'nationalId', 'services', 'dispensing']);
  const name = c.str(o.name, [...path, 'name']);

  const locPath: Path = [...path, 'fakerLocales'];
  const locales = c.arr(o.fakerLocales, locPath, 'faker locale keys').map((l, i) => c.match(l, [...locPath, i], LOCALE_RE, 'a faker locale key', 'de_AT, pt_PT, en, base'));
  c.unique(locales, locPath, 'locale');
  if (locales.length < 2 || locales[locales.length - 2] !== 'en' || locales[locales.length - 1] !== 'base') {
    c.fail(locPath, 'the locale chain must end with en, base', 'faker throws on data missing from a locale without fallbacks: end the chain with en, base');
  }

  const idPath: Path = [...path, 'nationalId'];
  const id = c.obj(o.nationalId, idPath, ['name', 'format', 'example']);
  const nationalId = { name: c.str(id.name, [...idPath, 'name']), format: c.str(id.format, [...idPath, 'format']), example: c.str(id.example, [...idPath, 'example']) };

  const svcPath: Path = [...path, 'services'];
  const services = c.arr(o.services, svcPath, 'service facts').map((f, i) => readFact(c, f, [...svcPath, i]));
  for (const service of SERVICE_NAMES) {
    for (const role of COUNTRY_ROLES) {
      if (!services.some((f) => f.service === service && f.role === role)) {
        c.fail(svcPath, `no fact for ${service} as ${role}`, `add one, e.g. { service: ${service}, role: ${role}, status: none, asOf: ..., source: ... } when nothing is known`);
      }
    }
  }

  const dispensing = readDispensing(c, o.dispensing, [...path, 'dispensing']);
  return { code, name, fakerLocales: locales, nationalId, services, dispensing };
}

function readFact(c: Checker, v: unknown, path: Path): ServiceFact {
  const o = c.obj(v, path, ['service', 'role', 'status', 'asOf', 'source'], ['since']);
  const service = c.oneOf(o.service, [...path, 'service'], SERVICE_NAMES);
  const role = c.oneOf(o.role, [...path, 'role'], COUNTRY_ROLES);
  const status = c.oneOf(o.status, [...path, 'status'], SERVICE_STATUSES);
  const asOf = c.date(o.asOf, [...path, 'asOf']);
  const source = c.str(o.source, [...path, 'source']);
  if (o.since === undefined) return { service, role, status, asOf, source };
  const since = c.date(o.since, [...path, 'since']);
  return { service, role, status, since, asOf, source };
}

function readDispensing(c: Checker, v: unknown, path: Path): DispensingRules {
  const o = c.obj(v, path, ['substitutionAllowed', 'vka', 'metamizoleAuthorised', 'asOf', 'source']);
  return {
    substitutionAllowed: c.bool(o.substitutionAllowed, [...path, 'substitutionAllowed']),
    vka: c.oneOf(o.vka, [...path, 'vka'], VKAS),
    metamizoleAuthorised: c.bool(o.metamizoleAuthorised, [...path, 'metamizoleAuthorised']),
    asOf: c.date(o.asOf, [...path, 'asOf']),
    source: c.str(o.source, [...path, 'source']),
  };
}

// ---------------------------------------------------------------------------
// catalogue.yaml

const ATC_RE = /^[A-Z]\d{2}[A-Z]{2}\d{2}$/;
const ICD10_RE = /^[A-Z]\d{2}(\.\d{1,2})?$/;
const EDQM_RE = /^\d{8}$/;
const LOINC_RE = /^\d{1,7}-\d$/;

function readCatalogue(src: SourceFile): Catalogue {
  const c = new Checker(src);
  const root = c.obj(src.data, [], ['conditions', 'doseForms', 'medications', 'documents', 'observations']);

  const doseForms = c.arr(root.doseForms, ['doseForms'], 'dose forms').map((d, i) => readDoseForm(c, d, ['doseForms', i]));
  c.unique(doseForms.map((d) => d.code), ['doseForms'], 'dose form code');

  const medications = c.arr(root.medications, ['medications'], 'medications').map((m, i) => readMedication(c, m, ['medications', i], doseForms));
  c.unique(medications.map((m) => m.atc), ['medications'], 'ATC code');
  const atcs = medications.map((m) => m.atc);

  const conditions = c.arr(root.conditions, ['conditions'], 'conditions').map((x, i) => readCondition(c, x, ['conditions', i], atcs));
  const codes: string[] = [];
  const codePaths: Path[] = [];
  conditions.forEach((cond, i) => {
    codes.push(cond.icd10);
    codePaths.push(['conditions', i, 'icd10']);
    cond.variants?.forEach((variant, j) => {
      codes.push(variant.icd10);
      codePaths.push(['conditions', i, 'variants', j, 'icd10']);
    });
  });
  codes.forEach((code, k) => {
    if (codes.indexOf(code) !== k) c.fail(codePaths[k]!, `duplicate ICD-10 code "${code}"`, 'each code belongs to one condition');
  });

  const docs = c.obj(root.documents, ['documents'], DOCUMENT_KINDS);
  const documents = {} as Record<DocumentKind, DocumentCode>;
  for (const kind of DOCUMENT_KINDS) {
    const path: Path = ['documents', kind];
    const o = c.obj(docs[kind], path, ['loinc', 'display']);
    documents[kind] = { loinc: readLoinc(c, o.loinc, [...path, 'loinc']), display: c.str(o.display, [...path, 'display']) };
  }

  const obs = c.obj(root.observations, ['observations'], OBSERVATION_KINDS);
  const observations = {} as Record<ObservationKind, ObservationCode>;
  for (const kind of OBSERVATION_KINDS) observations[kind] = readObservation(c, obs[kind], ['observations', kind]);

  return { conditions, medications, doseForms, documents, observations };
}

function readLoinc(c: Checker, v: unknown, path: Path): string {
  const code = c.match(v, path, LOINC_RE, 'a LOINC code', '60591-5');
  if (!loincCheckDigitOk(code)) c.fail(path, `"${code}" fails the LOINC check digit`, 'check the code against loinc.org; a digit is probably mistyped');
  return code;
}

function readDoseForm(c: Checker, v: unknown, path: Path): DoseFormEntry {
  const o = c.obj(v, path, ['code', 'term', 'route', 'routeTerm']);
  return {
    code: c.match(o.code, [...path, 'code'], EDQM_RE, 'an EDQM code (8 digits)', '"10219000"'),
    term: c.str(o.term, [...path, 'term']),
    route: c.match(o.route, [...path, 'route'], EDQM_RE, 'an EDQM route code (8 digits)', '"20053000"'),
    routeTerm: c.str(o.routeTerm, [...path, 'routeTerm']),
  };
}

function readMedication(c: Checker, v: unknown, path: Path, doseForms: readonly DoseFormEntry[]): MedicationEntry {
  const o = c.obj(v, path, ['atc', 'inn', 'doseForm', 'route', 'flags', 'substitution'], ['strength']);
  const atc = c.match(o.atc, [...path, 'atc'], ATC_RE, 'an ATC level-5 code', 'C09AA05');
  const inn = c.str(o.inn, [...path, 'inn']);
  const doseForm = c.match(o.doseForm, [...path, 'doseForm'], EDQM_RE, 'an EDQM dose form code (8 digits)', '"10219000"');
  const form = doseForms.find((d) => d.code === doseForm);
  if (form === undefined) c.fail([...path, 'doseForm'], `dose form "${doseForm}" is not in doseForms`, `use one of ${doseForms.map((d) => d.code).join(', ')} or add it to doseForms`);
  const route = c.match(o.route, [...path, 'route'], EDQM_RE, 'an EDQM route code (8 digits)', '"20053000"');
  if (route !== form.route) c.fail([...path, 'route'], `route "${route}" does not match dose form ${form.term}`, `${form.term} is given by route "${form.route}" (${form.routeTerm})`);
  const flagPath: Path = [...path, 'flags'];
  const flags: MedicationFlag[] = c.arr(o.flags, flagPath, 'flags').map((f, i) => c.oneOf(f, [...flagPath, i], MEDICATION_FLAGS));
  c.unique(flags, flagPath, 'flag');
  const substitution = c.oneOf(o.substitution, [...path, 'substitution'], SUBSTITUTION_CODES);
  if ((flags.includes('BIO') || flags.includes('NTI')) && substitution !== 'N') {
    c.fail([...path, 'substitution'], `${inn} is ${flags.includes('BIO') ? 'BIO' : 'NTI'} but allows substitution ${substitution}`, 'biologicals and no-switch drugs default to substitution N');
  }
  const entry = { atc, inn, doseForm, route, flags, substitution };
  if (o.strength === undefined) return entry;
  const strength = c.match(o.strength, [...path, 'strength'], /^\d/, 'a strength', '"10 mg"');
  return { ...entry, strength };
}

function readCondition(c: Checker, v: unknown, path: Path, atcs: readonly string[]): ConditionEntry {
  const o = c.obj(v, path, ['icd10', 'display', 'chronic', 'prescription', 'prevalence', 'medications', 'weights'], ['variants']);
  const icd10 = readIcd10(c, o.icd10, [...path, 'icd10']);
  const display = c.str(o.display, [...path, 'display']);
  const chronic = c.bool(o.chronic, [...path, 'chronic']);
  const prescription = c.bool(o.prescription, [...path, 'prescription']);

  const prevPath: Path = [...path, 'prevalence'];
  const prev = c.obj(o.prevalence, prevPath, AGE_BANDS);
  const prevalence = {} as Record<AgeBand, number>;
  for (const band of AGE_BANDS) prevalence[band] = c.num(prev[band], [...prevPath, band], 0, 1, 'a prevalence');

  const medPath: Path = [...path, 'medications'];
  const medications = c.arr(o.medications, medPath, 'ATC codes').map((m, i) => {
    const atc = c.match(m, [...medPath, i], ATC_RE, 'an ATC level-5 code', 'C09AA05');
    if (!atcs.includes(atc)) c.fail([...medPath, i], `medication ${atc} is not in the catalogue's medications`, `add an entry with atc: ${atc} to medications, or remove it here`);
    return atc;
  });
  c.unique(medications, medPath, 'ATC code');

  const wPath: Path = [...path, 'weights'];
  const weights = c.arr(o.weights, wPath, 'weights').map((w, i) => c.num(w, [...wPath, i], Number.MIN_VALUE, Number.MAX_VALUE, 'a positive weight'));
  if (weights.length !== medications.length) {
    c.fail(wPath, `${weights.length} weights for ${medications.length} medications`, 'give one weight per medication, in the same order');
  }
  weights.forEach((w, i) => {
    if (i > 0 && w > weights[i - 1]!) c.fail([...wPath, i], 'weights must not increase', 'list medications most common first, so weights are non-increasing');
  });
  if (prescription && medications.length === 0) c.fail(medPath, 'a prescription condition needs at least one medication', 'add a medication or set prescription: false');

  const entry = { icd10, display, chronic, prescription, prevalence, medications, weights };
  if (o.variants === undefined) return entry;
  const varPath: Path = [...path, 'variants'];
  const variants: ConditionVariant[] = c.arr(o.variants, varPath, 'variants').map((x, i) => {
    const vo = c.obj(x, [...varPath, i], ['icd10', 'display']);
    return { icd10: readIcd10(c, vo.icd10, [...varPath, i, 'icd10']), display: c.str(vo.display, [...varPath, i, 'display']) };
  });
  return { ...entry, variants };
}

function readIcd10(c: Checker, v: unknown, path: Path): string {
  const code = c.match(v, path, ICD10_RE, 'an ICD-10 code', 'I10 or E11.9');
  // The eHDSI value set (eHDSIIllnessandDisorder) is all of ICD-10 except chapter XX, external causes V01-Y98.
  if (/^[VWXY]/.test(code)) c.fail(path, `${code} is an external cause (ICD-10 chapter XX)`, 'eHDSIIllnessandDisorder excludes chapter XX: code the condition itself');
  return code;
}

function readObservation(c: Checker, v: unknown, path: Path): ObservationCode {
  const o = c.obj(v, path, ['loinc', 'display', 'unit'], ['alsoCoded', 'panel']);
  const unit = c.match(o.unit, [...path, 'unit'], /^\S+$/, 'a UCUM unit', 'mg/dL, mm[Hg], /min, %');
  const out: { -readonly [K in keyof ObservationCode]: ObservationCode[K] } = {
    loinc: readLoinc(c, o.loinc, [...path, 'loinc']),
    display: c.str(o.display, [...path, 'display']),
    unit,
  };
  if (o.alsoCoded !== undefined) {
    const aPath: Path = [...path, 'alsoCoded'];
    out.alsoCoded = c.arr(o.alsoCoded, aPath, 'LOINC codes').map((x, i) => readLoinc(c, x, [...aPath, i]));
  }
  if (o.panel !== undefined) out.panel = readLoinc(c, o.panel, [...path, 'panel']);
  return out;
}
