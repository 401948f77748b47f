/**
 * The clinical core of a patient: trip, age, sex, conditions, ePrescriptions,
 * consent and identity means. Patient i of cohort c is a pure function of its
 * stream path `rep/population/c/i`: every attribute reads its own fixed slot of
 * that patient's keyed uniforms (see PatientDraws), so other cohorts, other
 * patients and unrelated what-if levers never shift its draws.
 */
import { hash128Words, type Distribution, type RandomStream } from '../../engine/index.ts';
import type { CohortSpec, IdentityMeans, ScenarioSpec, WeightedChoice } from '../../scenarios/spec.ts';
import type { ConditionEntry, MedicationEntry, ServiceName } from '../../scenarios/reference/types.ts';
import type { Patient, Prescription, Sex } from './patient.ts';

/** Under-18 prevalence as a share of the 18-39 figure (clinical-catalogue.md has adults only). */
export const CHILD_PREVALENCE_FACTOR = 0.3;
export const MAX_AGE = 110;

/**
 * Sex-specific conditions: the catalogue gives whole-adult figures (see its
 * comments), so for a 50/50 population these factors keep the overall share.
 * BPH is men only; osteoporosis about 4:1 women.
 */
const SEX_FACTOR: Readonly<Record<string, Readonly<Record<Sex, number>>>> = {
  N40: { female: 0, male: 2 },
  'M81.9': { female: 1.6, male: 0.4 },
};

/** The patient's stream: demographics fork it; the clinical core is keyed on its path. */
export function patientStream(rep: RandomStream, cohortName: string, index: number): RandomStream {
  return rep.fork('population').fork(cohortName).fork(String(index));
}

/** Probability that a patient of this age and sex has the condition, clamped to [0, 1]. */
export function conditionProbability(entry: ConditionEntry, age: number, sex: Sex, prevalenceScale: number): number {
  const base =
    age < 18
      ? CHILD_PREVALENCE_FACTOR * entry.prevalence['18-39']
      : age < 40
        ? entry.prevalence['18-39']
        : age < 65
          ? entry.prevalence['40-64']
          : entry.prevalence['65+'];
  const p = base * (SEX_FACTOR[entry.icd10]?.[sex] ?? 1) * prevalenceScale;
  return p >= 1 ? 1 : p > 0 ? p : 0;
}

// ---------------------------------------------------------------------------
// Keyed uniforms. A RandomStream per patient costs ~4.5 us to create (hash and
// Alea seeding), i.e. ~0.45 s per 100k patients before any draw, so patients
// use a counter-based generator instead: uniform(slot) is a hash of (key of
// the patient's stream path, slot). Random access, no state, no allocation.

/** Fixed slot of every attribute; ranges leave room for more services and means. */
const SLOT = { sex: 0, home: 1, destination: 2, age: 3, arrival: 4, stay: 5, consent: 16, identity: 32, conditions: 64 } as const;

/** A bijective 32-bit mixer (lowbias32, C. Wellons' hash prospector). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

/** 128-bit key of a stream path, as four 32-bit lanes. */
function pathKey(path: string): Uint32Array {
  return hash128Words(`pitsim-keyed\u0000${path}`);
}

/** The keyed uniforms of the cohort's patients; at(index) selects one, u(slot) reads it. */
class PatientDraws {
  private k1 = 0;
  private k2 = 0;

  constructor(private readonly cohortKey: Uint32Array) {}

  /** Re-key for patient `index` (distinct indices give distinct keys: every step is a bijection). */
  at(index: number): this {
    const key = this.cohortKey;
    const c0 = key[0]!;
    const c1 = key[1]!;
    const c2 = key[2]!;
    const c3 = key[3]!;
    this.k1 = mix32(mix32((c0 ^ Math.imul(index, 0x9e3779b9)) >>> 0) ^ c1);
    this.k2 = mix32(mix32((c2 ^ Math.imul(index, 0x85ebca6b)) >>> 0) ^ c3);
    return this;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  u(slot: number): number {
    const s = Math.imul(slot + 1, 0xc2b2ae35);
    const hi = mix32(mix32((this.k1 ^ s) >>> 0) ^ this.k2);
    const lo = mix32(mix32((this.k2 ^ s ^ 0x27d4eb2f) >>> 0) ^ this.k1);
    return (hi * 2097152 + (lo >>> 11)) / 9007199254740992;
  }
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const q0 = p > 0 ? p : 2 ** -53;
  if (q0 < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(q0));
    return (((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783) /
      ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1);
  }
  if (q0 > 1 - 0.02425) return -normalQuantile(1 - q0);
  const q = q0 - 0.5;
  const r = q * q;
  return ((((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r + 1.38357751867269e2) * r - 3.066479806614716e1) * r + 2.506628277459239) * q) /
    (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r + 6.680131188771972e1) * r - 1.328068155288572e1) * r + 1);
}

/**
 * The value of `d` at cumulative probability u: one uniform per draw, so each
 * attribute keeps its slot whatever the distribution kinds. Same laws and
 * parametrisation as engine sample(); uniform, exponential, weibull,
 * triangular and empirical even give the same value for the same u.
 */
export function quantile(d: Distribution, u: number): number {
  switch (d.kind) {
    case 'const':
      return d.value;
    case 'uniform':
      return d.min + (d.max - d.min) * u;
    case 'exponential':
      return -d.mean * Math.log(1 - u);
    case 'normal':
      return d.mean + d.sd * normalQuantile(u);
    case 'lognormal':
      return d.median * Math.exp(d.sigma * normalQuantile(u));
    case 'weibull':
      return d.scale * Math.pow(-Math.log(1 - u), 1 / d.shape);
    case 'triangular': {
      const { min, mode, max } = d;
      const f = (mode - min) / (max - min);
      return u < f ? min + Math.sqrt(u * (max - min) * (mode - min)) : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
    }
    case 'empirical':
      return d.values[indexFromUniform(d.weights, u)]!;
  }
}

/** Index chosen with probability proportional to weights[i] from a uniform u, never `skip`; -1 if nothing has weight. */
function indexFromUniform(weights: readonly number[], u: number, skip = -1): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) if (i !== skip && weights[i]! > 0) total += weights[i]!;
  let x = u * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    if (i === skip || !(weights[i]! > 0)) continue;
    last = i;
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return last;
}

function choose(choice: WeightedChoice, u: number, exclude?: string): string {
  const skip = exclude === undefined ? -1 : choice.values.indexOf(exclude);
  let i = indexFromUniform(choice.weights, u, skip);
  // Only the excluded value has weight: the trip is domestic rather than impossible.
  if (i < 0) i = indexFromUniform(choice.weights, u);
  const v = choice.values[i];
  if (v === undefined) throw new Error('cohort has a weighted choice with no positive weight');
  return v;
}

// ---------------------------------------------------------------------------

/** Everything about a cohort that is the same for all its patients, computed once. */
interface CohortPlan {
  readonly cohort: CohortSpec;
  readonly draws: PatientDraws;
  readonly conditions: readonly ConditionEntry[];
  /** Aligned with conditions: the medication entries of each (null when no ePrescription). */
  readonly medications: readonly (readonly MedicationEntry[] | null)[];
  /**
   * conditionProbability per sex, band-major: entry `band * conditions.length + i`
   * is condition i's in that age band, so the hot loop only compares.
   */
  readonly probability: Readonly<Record<Sex, Float64Array>>;
}

/** Representative ages of the bands conditionProbability distinguishes: under 18, 18-39, 40-64, 65+. */
const BAND_AGES = [0, 18, 40, 65] as const;

function bandOf(age: number): number {
  return age < 18 ? 0 : age < 40 ? 1 : age < 65 ? 2 : 3;
}

/** conditionProbability of every condition in every age band, band-major (CohortPlan.probability). */
function probabilityTable(conditions: readonly ConditionEntry[], sex: Sex, prevalenceScale: number): Float64Array {
  const t = new Float64Array(BAND_AGES.length * conditions.length);
  for (let b = 0; b < BAND_AGES.length; b++) {
    for (let i = 0; i < conditions.length; i++) t[b * conditions.length + i] = conditionProbability(conditions[i]!, BAND_AGES[b]!, sex, prevalenceScale);
  }
  return t;
}

function planCohort(spec: ScenarioSpec, cohortIndex: number, rep: RandomStream): CohortPlan {
  const cohort = spec.population[cohortIndex];
  if (cohort === undefined) throw new RangeError(`no cohort ${cohortIndex} in scenario '${spec.name}'`);
  const byAtc = new Map<string, MedicationEntry>();
  for (const m of spec.reference.catalogue.medications) byAtc.set(m.atc, m);
  const conditions = spec.reference.catalogue.conditions;
  // Loops and typed arrays, not map(): a plan is rebuilt every replication,
  // and with the tables as arrays from map(), drawPatient was deoptimised
  // ('wrong map', at its read of the table) now and then for more than a
  // hundred replications of a thread, each time recompiled at 10-20 ms.
  const medications: (MedicationEntry[] | null)[] = [];
  for (const c of conditions) {
    if (!c.prescription) {
      medications.push(null);
      continue;
    }
    const entries: MedicationEntry[] = [];
    for (const atc of c.medications) {
      const m = byAtc.get(atc);
      if (m === undefined) throw new Error(`catalogue: condition ${c.icd10} names unknown medication ${atc}`);
      entries.push(m);
    }
    medications.push(entries);
  }
  const cohortPath = rep.fork('population').fork(cohort.name).path;
  const scale = cohort.prevalenceScale;
  const probability = { female: probabilityTable(conditions, 'female', scale), male: probabilityTable(conditions, 'male', scale) };
  return { cohort, draws: new PatientDraws(pathKey(cohortPath)), conditions, medications, probability };
}

function clampAge(years: number): number {
  const a = Math.floor(years);
  return a > MAX_AGE ? MAX_AGE : a > 0 ? a : 0;
}

/** One patient. Each attribute reads its own slot (SLOT), so a what-if changes only what it touches. */
function drawPatient(plan: CohortPlan, index: number): Patient {
  const { cohort, conditions: catalogue, medications } = plan;
  const d = plan.draws.at(index);
  const id = `${cohort.name}.${index}`;

  const sex: Sex = d.u(SLOT.sex) < cohort.female ? 'female' : 'male';
  const home = choose(cohort.home, d.u(SLOT.home));
  // Travelling patients: B is drawn from the destination mix without A.
  const destination = choose(cohort.destination, d.u(SLOT.destination), home);
  const age = clampAge(quantile(cohort.age, d.u(SLOT.age)));
  const arrival = quantile(cohort.arrival, d.u(SLOT.arrival));
  const stay = quantile(cohort.stay, d.u(SLOT.stay));

  // Literals, not loops: one object shape for all patients, and a new service
  // or means fails to compile here until it is given a slot.
  const consent: Record<ServiceName, boolean> = {
    patientSummary: d.u(SLOT.consent + 0) < cohort.consent.patientSummary,
    ePrescription: d.u(SLOT.consent + 1) < cohort.consent.ePrescription,
  };
  const identity: Record<IdentityMeans, boolean> = {
    nationalId: d.u(SLOT.identity + 0) < cohort.identity.nationalId,
    ehic: d.u(SLOT.identity + 1) < cohort.identity.ehic,
    eudiWallet: d.u(SLOT.identity + 2) < cohort.identity.eudiWallet,
  };

  const conditions: string[] = [];
  const prescriptions: Prescription[] = [];
  const p = plan.probability[sex];
  const band = bandOf(age) * catalogue.length;
  for (let i = 0; i < catalogue.length; i++) {
    const entry = catalogue[i]!;
    if (!(d.u(SLOT.conditions + 2 * i) < p[band + i]!)) continue;
    conditions.push(entry.icd10);
    const meds = medications[i];
    if (meds == null || meds.length === 0) continue;
    const med = meds[indexFromUniform(entry.weights, d.u(SLOT.conditions + 2 * i + 1))]!;
    const brandOnly = med.flags.includes('BIO');
    prescriptions.push({
      id: `${id}.rx${prescriptions.length}`,
      atc: med.atc,
      condition: entry.icd10,
      substitution: brandOnly ? 'N' : med.substitution,
      brandOnly,
    });
  }

  return {
    id,
    index,
    cohort: cohort.name,
    home,
    destination,
    arrivalMs: arrival > 0 ? arrival : 0,
    stayMs: stay > 0 ? stay : 0,
    age,
    sex,
    conditions,
    prescriptions,
    consent,
    identity,
  };
}

/** Patient `index` of cohort `cohortIndex`; identical to its entry in generatePopulation. */
export function generatePatient(spec: ScenarioSpec, cohortIndex: number, index: number, rep: RandomStream): Patient {
  return drawPatient(planCohort(spec, cohortIndex, rep), index);
}

/** Every patient of the scenario: cohorts in spec order, patients by index. */
export function generatePopulation(spec: ScenarioSpec, rep: RandomStream): Patient[] {
  const out: Patient[] = [];
  for (let c = 0; c < spec.population.length; c++) {
    const plan = planCohort(spec, c, rep);
    for (let i = 0; i < plan.cohort.count; i++) out.push(drawPatient(plan, i));
  }
  return out;
}

/** Patients in arrival order, as global numbers (see PopulationSampler.arrivalOrder). */
export interface ArrivalOrder {
  readonly order: Uint32Array;
  readonly arrivalMs: Float64Array;
}

/**
 * The population of one replication, drawn lazily: arrival times first (one
 * keyed draw each, in typed arrays), whole patients only when they arrive.
 * A patient drawn here equals its entry in generatePopulation.
 */
export class PopulationSampler {
  private readonly plans: CohortPlan[];

  constructor(readonly spec: ScenarioSpec, rep: RandomStream) {
    this.plans = spec.population.map((_, c) => planCohort(spec, c, rep));
  }

  get size(): number {
    let n = 0;
    for (const p of this.plans) n += p.cohort.count;
    return n;
  }

  /**
   * Every patient in arrival order (ties by cohort, then index): `order[k]` is
   * the k-th arrival's global number (cohorts in order, then index) and
   * `arrivalMs[g]` the arrival time of global number g. Two typed arrays, no
   * copies: 12 bytes a patient.
   */
  arrivalOrder(): ArrivalOrder {
    const n = this.size;
    const at = new Float64Array(n);
    let g = 0;
    for (const plan of this.plans) {
      for (let i = 0; i < plan.cohort.count; i++, g++) {
        const a = quantile(plan.cohort.arrival, plan.draws.at(i).u(SLOT.arrival));
        at[g] = a > 0 ? a : 0;
      }
    }
    const order = new Uint32Array(n);
    for (let j = 0; j < n; j++) order[j] = j;
    // Global numbers already order cohorts then indices, so they break ties.
    order.sort((x, y) => at[x]! - at[y]! || x - y);
    return { order, arrivalMs: at };
  }

  /** The (cohort, index) of a global patient number. */
  locate(global: number): { cohort: number; index: number } {
    let c = 0;
    let from = 0;
    while (global >= from + this.plans[c]!.cohort.count) from += this.plans[c++]!.cohort.count;
    return { cohort: c, index: global - from };
  }

  patient(cohortIndex: number, index: number): Patient {
    return drawPatient(this.plans[cohortIndex]!, index);
  }
}
