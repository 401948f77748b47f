/**
 * Synthetic national identifiers and EHIC card numbers in plausible national
 * formats (DE KVNR, FR NIR, FI HETU with valid check characters; other
 * countries a generic `CC-########`). All digits come from the given stream;
 * none of these is, or is checked against, a real person's identifier.
 */
import type { RandomStream } from '../../engine/index.ts';
import type { Sex } from './patient.ts';

function digits(rng: RandomStream, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(10));
  return s;
}

/** An integer in [lo, hi], zero-padded to `width`. */
function padded(rng: RandomStream, lo: number, hi: number, width: number): string {
  return String(lo + rng.int(hi - lo + 1)).padStart(width, '0');
}

/** KVNR check digit of a letter and 8 digits: letter as 01..26, weights 1,2,..., digit sums, mod 10. */
export function kvnrCheckDigit(letter: string, eightDigits: string): string {
  const pos = letter.toUpperCase().charCodeAt(0) - 64;
  const s = String(pos).padStart(2, '0') + eightDigits;
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const p = Number(s[i]) * (i % 2 === 0 ? 1 : 2);
    sum += p > 9 ? p - 9 : p;
  }
  return String(sum % 10);
}

/** German Krankenversichertennummer, e.g. `A123456780`. */
export function kvnr(rng: RandomStream): string {
  const letter = String.fromCharCode(65 + rng.int(26));
  const body = digits(rng, 8);
  return letter + body + kvnrCheckDigit(letter, body);
}

/** NIR key: 97 - (13-digit number mod 97), two digits. */
export function nirKey(thirteenDigits: string): string {
  return String(97 - (Number(thirteenDigits) % 97)).padStart(2, '0');
}

/** French NIR: sex, YY, MM of birth, a mainland department (not 20: Corsica is 2A/2B), commune, order, key. */
export function nir(birthDate: string, sex: Sex, rng: RandomStream): string {
  let dept = 1 + rng.int(95);
  if (dept === 20) dept = 21;
  const body =
    (sex === 'male' ? '1' : '2') +
    birthDate.slice(2, 4) +
    birthDate.slice(5, 7) +
    String(dept).padStart(2, '0') +
    padded(rng, 1, 990, 3) +
    padded(rng, 1, 999, 3);
  return body + nirKey(body);
}

const HETU_CHECK = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/** HETU check character of `DDMMYY` + individual number `NNN`: the 9-digit number mod 31. */
export function hetuCheckChar(ddmmyy: string, nnn: string): string {
  return HETU_CHECK[Number(ddmmyy + nnn) % 31]!;
}

/** Finnish henkilötunnus `DDMMYYCNNNQ`: century sign, odd individual number for men. */
export function hetu(birthDate: string, sex: Sex, rng: RandomStream): string {
  const year = Number(birthDate.slice(0, 4));
  const sign = year < 1900 ? '+' : year < 2000 ? '-' : 'A';
  const ddmmyy = birthDate.slice(8, 10) + birthDate.slice(5, 7) + birthDate.slice(2, 4);
  // 002..899 are ordinary numbers (900+ are temporary); parity encodes sex.
  let n = 2 + rng.int(898);
  if ((n % 2 === 1) !== (sex === 'male')) n = n === 899 ? 898 : n + 1;
  const nnn = String(n).padStart(3, '0');
  return `${ddmmyy}${sign}${nnn}${hetuCheckChar(ddmmyy, nnn)}`;
}

/** Whether a string is a well-formed HETU with a correct check character. */
export function isValidHetu(id: string): boolean {
  const m = /^(\d{6})[-+A-FU-Y](\d{3})([0-9A-Y])$/.exec(id);
  return m !== null && hetuCheckChar(m[1]!, m[2]!) === m[3];
}

/** A national identifier of the patient's home country, consistent with birth date and sex where the format encodes them. */
export function nationalId(country: string, birthDate: string, sex: Sex, rng: RandomStream): string {
  switch (country) {
    case 'DE':
      return kvnr(rng);
    case 'FR':
      return nir(birthDate, sex, rng);
    case 'FI':
      return hetu(birthDate, sex, rng);
    default:
      return `${country}-${digits(rng, 8)}`;
  }
}

/** Luhn check digit of a digit string. */
export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** ISO 3166-1 numeric codes of EU/EEA countries and Switzerland, for EHIC numbers. */
const ISO_NUMERIC: Readonly<Record<string, string>> = {
  AT: '040', BE: '056', BG: '100', CH: '756', CY: '196', CZ: '203', DE: '276', DK: '208', EE: '233', ES: '724',
  FI: '246', FR: '250', GR: '300', HR: '191', HU: '348', IE: '372', IS: '352', IT: '380', LI: '438', LT: '440',
  LU: '442', LV: '428', MT: '470', NL: '528', NO: '578', PL: '616', PT: '620', RO: '642', SE: '752', SI: '705',
  SK: '703',
};

/** A 20-digit EHIC card number: `80` (health), ISO numeric country, 14 digits, Luhn check. */
export function ehicNumber(country: string, rng: RandomStream): string {
  const payload = '80' + (ISO_NUMERIC[country] ?? '999') + digits(rng, 14);
  return payload + luhnCheckDigit(payload);
}
