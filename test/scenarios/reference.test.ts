// The shipped reference data: known facts hold, the catalogue is internally
// consistent, and malformed copies fail with the right ReferenceDataError path.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allLocales } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { parseDocument, type Document } from 'yaml';
import {
  CATALOGUE_FILE,
  COUNTRIES_FILE,
  loadReferenceData,
  medication,
  offers,
  ReferenceDataError,
  serviceStatus,
} from '../../scenarios/reference/load.ts';
import type { CountryFacts, ReferenceData, ServiceFact } from '../../scenarios/reference/types.ts';

const SHIPPED = fileURLToPath(new URL('../../scenarios/reference/', import.meta.url));
const EU27 = 'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');

const ref: ReferenceData = loadReferenceData();

function country(code: string): CountryFacts {
  const c = ref.countries[code];
  if (c === undefined) throw new Error(`no country ${code}`);
  return c;
}

describe('shipped countries', () => {
  it('covers the 27 EU member states, keys sorted', () => {
    const codes = Object.keys(ref.countries);
    for (const code of EU27) expect(codes).toContain(code);
    expect(codes).toEqual([...codes].sort());
    for (const [code, facts] of Object.entries(ref.countries)) expect(facts.code).toBe(code);
  });

  it('FI is live as A for ePrescription from 2019-01-21, not before', () => {
    expect(offers(country('FI'), 'ePrescription', 'A', '2019-02-01')).toBe(true);
    expect(offers(country('FI'), 'ePrescription', 'A', '2019-01-01')).toBe(false);
    // Between the Nov 2018 go-live permission and the first exchange it is planned.
    expect(serviceStatus(country('FI'), 'ePrescription', 'A', '2019-01-01')).toBe('planned');
    expect(offers(country('FI'), 'ePrescription', 'A', '2019-01-21')).toBe(true);
  });

  it('EE is live as B for ePrescription', () => {
    expect(offers(country('EE'), 'ePrescription', 'B', '2019-02-01')).toBe(true);
    expect(offers(country('EE'), 'ePrescription', 'B', '2026-01-01')).toBe(true);
  });

  it('DE is not live as A for ePrescription in 2026 (the flagship what-if)', () => {
    for (const date of ['2026-01-01', '2026-06-15', '2026-12-31']) {
      expect(offers(country('DE'), 'ePrescription', 'A', date)).toBe(false);
    }
    expect(serviceStatus(country('DE'), 'ePrescription', 'A', '2026-06-15')).toBe('planned');
  });

  it('the realistic live pairs of the research sheet are live in 2025', () => {
    const d = '2025-06-01';
    expect(offers(country('FI'), 'ePrescription', 'A', d) && offers(country('EE'), 'ePrescription', 'B', d)).toBe(true);
    for (const [a, b] of [['EE', 'PT'], ['PT', 'EE'], ['HR', 'ES'], ['ES', 'HR']] as const) {
      expect(offers(country(a), 'ePrescription', 'A', d) && offers(country(b), 'ePrescription', 'B', d)).toBe(true);
      expect(offers(country(a), 'patientSummary', 'A', d) && offers(country(b), 'patientSummary', 'B', d)).toBe(true);
    }
    expect(offers(country('LU'), 'patientSummary', 'B', d)).toBe(true);
    expect(offers(country('CZ'), 'patientSummary', 'A', d)).toBe(true);
  });

  it('DK and RO are not in the 2025 plan and planned from 2026', () => {
    for (const code of ['DK', 'RO']) {
      expect(serviceStatus(country(code), 'patientSummary', 'A', '2025-06-01')).toBe('none');
      expect(serviceStatus(country(code), 'patientSummary', 'A', '2026-06-01')).toBe('planned');
    }
  });

  it('every fact has asOf and source; every country states all four (service, role)', () => {
    for (const c of Object.values(ref.countries)) {
      for (const f of c.services) {
        expect(f.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(f.source.length).toBeGreaterThan(0);
      }
      expect(c.dispensing.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(c.dispensing.source.length).toBeGreaterThan(0);
      expect(c.nationalId.example.length).toBeGreaterThan(0);
    }
  });

  it('faker locale chains name real @faker-js/faker locales and end en, base', () => {
    const known = Object.keys(allLocales);
    for (const c of Object.values(ref.countries)) {
      for (const l of c.fakerLocales) expect(known, `${c.code} ${l}`).toContain(l);
      expect(c.fakerLocales.slice(-2)).toEqual(['en', 'base']);
    }
    expect(country('SI').fakerLocales[0]).toBe('sl_SI');
    expect(country('MT').fakerLocales[0]).toBe('en_GB');
  });

  it('dispensing rules follow the sheet: VKAs, metamizole', () => {
    expect(country('DE').dispensing.vka).toBe('phenprocoumon');
    expect(country('ES').dispensing.vka).toBe('acenocoumarol');
    expect(country('NL').dispensing.vka).toBe('acenocoumarol');
    expect(country('FI').dispensing.vka).toBe('warfarin');
    expect(country('FI').dispensing.metamizoleAuthorised).toBe(false);
    expect(country('DE').dispensing.metamizoleAuthorised).toBe(true);
  });
});

describe('shipped catalogue', () => {
  const cat = ref.catalogue;

  it("every condition's medications exist, with one weight each", () => {
    for (const cond of cat.conditions) {
      expect(cond.weights).toHaveLength(cond.medications.length);
      for (const atc of cond.medications) expect(medication(cat, atc), `${cond.icd10} ${atc}`).toBeDefined();
    }
    const ckd = cat.conditions.find((c) => c.icd10 === 'N18.9');
    expect(ckd?.medications).toEqual([]);
  });

  it('includes every condition of the sheet', () => {
    const codes = cat.conditions.map((c) => c.icd10);
    for (const code of ['I10', 'E11.9', 'E10.9', 'E78.0', 'J45.9', 'J44.9', 'E03.9', 'I48.9', 'I50.9', 'I25.9', 'G40.9', 'F32.9', 'K21.9', 'M06.9', 'M17.9', 'G20', 'G43.9', 'J30.4', 'N40', 'M10.9', 'M81.9', 'N18.9']) {
      expect(codes).toContain(code);
    }
    expect(cat.medications).toHaveLength(51);
  });

  it('adalimumab is BIO with substitution N; metamizole is RESTR', () => {
    const ada = medication(cat, 'L04AB04');
    expect(ada?.inn).toBe('adalimumab');
    expect(ada?.flags).toContain('BIO');
    expect(ada?.substitution).toBe('N');
    expect(medication(cat, 'N02BB02')?.flags).toContain('RESTR');
    expect(medication(cat, 'N03AX14')?.substitution).toBe('N');
    expect(medication(cat, 'B01AA04')?.flags).toContain('VKA');
    expect(medication(cat, 'Z99ZZ99')).toBeUndefined();
  });

  it('documents and observations carry the LOINC codes and UCUM units', () => {
    expect(cat.documents.patientSummary.loinc).toBe('60591-5');
    expect(cat.documents.ePrescription.loinc).toBe('57833-6');
    expect(cat.documents.eDispensation.loinc).toBe('60593-1');
    expect(cat.observations.glucose).toMatchObject({ loinc: '2339-0', unit: 'mg/dL' });
    expect(cat.observations.systolicBp).toMatchObject({ loinc: '8480-6', unit: 'mm[Hg]' });
    expect(cat.observations.diastolicBp).toMatchObject({ loinc: '8462-4', unit: 'mm[Hg]' });
    expect(cat.observations.heartRate).toMatchObject({ loinc: '8867-4', unit: '/min' });
    expect(cat.observations.spo2).toMatchObject({ loinc: '2708-6', unit: '%' });
  });
});

describe('the loaded value', () => {
  it('is deep-frozen', () => {
    expect(Object.isFrozen(ref)).toBe(true);
    expect(Object.isFrozen(country('FI').services[0])).toBe(true);
    expect(Object.isFrozen(ref.catalogue.conditions[0]?.prevalence)).toBe(true);
  });

  it('survives JSON and structured clone unchanged (it travels to workers)', () => {
    expect(JSON.parse(JSON.stringify(ref))).toEqual(ref);
    expect(structuredClone(ref)).toEqual(ref);
  });

  it('is built afresh on each call (no shared singleton)', () => {
    const again = loadReferenceData(SHIPPED);
    expect(again).toEqual(ref);
    expect(again).not.toBe(ref);
  });
});

describe('serviceStatus semantics', () => {
  const base: Omit<ServiceFact, 'status' | 'asOf'> = { service: 'ePrescription', role: 'A', source: 'test' };
  const facts = (services: ServiceFact[]): CountryFacts => ({ ...country('FI'), services });

  it('is none with no applicable fact', () => {
    expect(serviceStatus(facts([]), 'ePrescription', 'A', '2025-01-01')).toBe('none');
    expect(serviceStatus(facts([{ ...base, status: 'live', asOf: '2026-01-01' }]), 'ePrescription', 'A', '2025-01-01')).toBe('none');
  });

  it('reads an announced go-live as planned until its since', () => {
    const f = facts([{ ...base, status: 'live', since: '2026-06-01', asOf: '2026-01-01' }]);
    expect(serviceStatus(f, 'ePrescription', 'A', '2025-12-31')).toBe('none');
    expect(serviceStatus(f, 'ePrescription', 'A', '2026-03-01')).toBe('planned');
    expect(serviceStatus(f, 'ePrescription', 'A', '2026-06-01')).toBe('live');
  });

  it('applies a retroactive since from that date', () => {
    const f = facts([{ ...base, status: 'live', since: '2020-01-01', asOf: '2024-01-01' }]);
    expect(serviceStatus(f, 'ePrescription', 'A', '2021-01-01')).toBe('live');
  });

  it('takes the latest fact, and the later entry on a tie (so appended overrides win)', () => {
    const shipped: ServiceFact = { ...base, status: 'planned', asOf: '2024-06-30' };
    const whatIf: ServiceFact = { ...base, status: 'live', asOf: '2024-06-30' };
    expect(serviceStatus(facts([shipped, whatIf]), 'ePrescription', 'A', '2025-01-01')).toBe('live');
    expect(serviceStatus(facts([whatIf, shipped]), 'ePrescription', 'A', '2025-01-01')).toBe('planned');
    const withdrawn: ServiceFact = { ...base, status: 'none', asOf: '2025-06-01' };
    expect(serviceStatus(facts([whatIf, withdrawn]), 'ePrescription', 'A', '2025-07-01')).toBe('none');
  });

  it('ignores facts of other services and roles, and rejects a non-date', () => {
    const f = facts([{ ...base, status: 'live', asOf: '2020-01-01' }]);
    expect(serviceStatus(f, 'ePrescription', 'B', '2025-01-01')).toBe('none');
    expect(serviceStatus(f, 'patientSummary', 'A', '2025-01-01')).toBe('none');
    expect(() => serviceStatus(f, 'ePrescription', 'A', '2025-1-1')).toThrow(RangeError);
  });
});

describe('malformed copies', () => {
  type Edit = (doc: Document) => void;

  /** Copies the shipped files to a tmp dir, applies edits, and returns the error thrown on load. */
  function loadBroken(edits: { countries?: Edit; catalogue?: Edit; rawCountries?: string }): ReferenceDataError {
    const dir = mkdtempSync(join(tmpdir(), 'pitsim-ref-'));
    try {
      for (const [file, edit] of [[COUNTRIES_FILE, edits.countries], [CATALOGUE_FILE, edits.catalogue]] as const) {
        const doc = parseDocument(readFileSync(join(SHIPPED, file), 'utf8'));
        edit?.(doc);
        writeFileSync(join(dir, file), String(doc));
      }
      if (edits.rawCountries !== undefined) writeFileSync(join(dir, COUNTRIES_FILE), edits.rawCountries);
      try {
        loadReferenceData(dir);
      } catch (err) {
        if (err instanceof ReferenceDataError) return err;
        throw err;
      }
      throw new Error('expected loadReferenceData to throw');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('the unedited copy loads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pitsim-ref-'));
    try {
      for (const file of [COUNTRIES_FILE, CATALOGUE_FILE]) writeFileSync(join(dir, file), readFileSync(join(SHIPPED, file)));
      expect(loadReferenceData(dir)).toEqual(ref);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad status names the fact, its line and a did-you-mean hint', () => {
    const err = loadBroken({ countries: (d) => d.setIn(['countries', 'DE', 'services', 2, 'status'], 'livee') });
    expect(err.path).toBe('countries.DE.services[2].status');
    expect(err.file.endsWith(COUNTRIES_FILE)).toBe(true);
    expect(err.hint).toContain('live');
    expect(err.line).toBeGreaterThan(1);
    expect(err.message).toContain(`${COUNTRIES_FILE}:${err.line}:`);
    expect(err.code).toBe('BAD_REFERENCE_DATA');
  });

  it('an unknown key', () => {
    const err = loadBroken({ countries: (d) => d.setIn(['countries', 'FI', 'dispensing', 'vkaa'], 'warfarin') });
    expect(err.path).toBe('countries.FI.dispensing.vkaa');
    expect(err.hint).toContain('vka');
  });

  it('an impossible date', () => {
    const err = loadBroken({ countries: (d) => d.setIn(['countries', 'FI', 'services', 1, 'since'], '2019-02-30') });
    expect(err.path).toBe('countries.FI.services[1].since');
  });

  it('a missing source', () => {
    const err = loadBroken({ countries: (d) => d.deleteIn(['countries', 'EE', 'services', 0, 'source']) });
    expect(err.path).toBe('countries.EE.services[0]');
    expect(err.message).toContain('source');
  });

  it('a country code that is not EU/EEA', () => {
    const err = loadBroken({
      countries: (d) => d.setIn(['countries', 'EL'], d.getIn(['countries', 'GR'])),
    });
    expect(err.path).toBe('countries.EL');
    expect(err.hint).toContain('GR');
  });

  it('a locale chain without the en, base fallback', () => {
    const err = loadBroken({ countries: (d) => d.setIn(['countries', 'AT', 'fakerLocales'], d.createNode(['de_AT', 'de'])) });
    expect(err.path).toBe('countries.AT.fakerLocales');
  });

  it('weights of the wrong length', () => {
    const err = loadBroken({ catalogue: (d) => d.setIn(['conditions', 0, 'weights'], d.createNode([30, 28])) });
    expect(err.path).toBe('conditions[0].weights');
  });

  it('a condition referring to a medication the catalogue lacks', () => {
    let cond = -1;
    let pos = -1;
    const err = loadBroken({
      catalogue: (d) => {
        const meds = d.get('medications') as { items: { toJSON(): { atc: string } }[] };
        const i = meds.items.findIndex((m) => m.toJSON().atc === 'L04AB04');
        d.deleteIn(['medications', i]);
        const conds = (d.toJS() as { conditions: { medications: string[] }[] }).conditions;
        cond = conds.findIndex((c) => c.medications.includes('L04AB04'));
        pos = conds[cond]!.medications.indexOf('L04AB04');
      },
    });
    expect(err.path).toBe(`conditions[${cond}].medications[${pos}]`);
    expect(err.hint).toContain('L04AB04');
  });

  it('a malformed ATC code', () => {
    const err = loadBroken({ catalogue: (d) => d.setIn(['medications', 3, 'atc'], 'C3AA03') });
    expect(err.path).toBe('medications[3].atc');
  });

  it('a biological that allows substitution', () => {
    const err = loadBroken({
      catalogue: (d) => {
        const i = (d.toJS() as { medications: { atc: string }[] }).medications.findIndex((m) => m.atc === 'L04AB04');
        d.setIn(['medications', i, 'substitution'], 'G');
      },
    });
    expect(err.path).toMatch(/^medications\[\d+\]\.substitution$/);
  });

  it('an unquoted EDQM code (read as a number)', () => {
    const err = loadBroken({ catalogue: (d) => d.setIn(['medications', 0, 'doseForm'], 10219000) });
    expect(err.path).toBe('medications[0].doseForm');
    expect(err.hint).toContain('quote');
  });

  it('a LOINC code with a wrong check digit', () => {
    const err = loadBroken({ catalogue: (d) => d.setIn(['observations', 'glucose', 'loinc'], '2339-1') });
    expect(err.path).toBe('observations.glucose.loinc');
  });

  it('a YAML syntax error reports its line', () => {
    const text = readFileSync(join(SHIPPED, COUNTRIES_FILE), 'utf8').replace('  FI:\n', '  FI:\n    name: [Finland\n');
    const err = loadBroken({ rawCountries: text });
    expect(err.path).toBe('');
    expect(err.line).toBeGreaterThan(1);
  });

  it('a missing folder', () => {
    expect(() => loadReferenceData(join(tmpdir(), 'pitsim-no-such-dir'))).toThrow(ReferenceDataError);
  });
});
