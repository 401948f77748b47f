/**
 * Plain-language narration of a demo story: one line per message ("XCPD:
 * France asks Germany who this patient is"), failures with their reason code
 * and what it means (agents/reasons.ts), the simulated clock and calendar day,
 * and the `--script` text a teacher pastes into slides. Pure and
 * deterministic: English only, no locale or time-zone lookups.
 */
import { REASON_INFO } from '../agents/reasons.ts';
import type { DemoStory, StoryMessage, StoryPatient } from './demo-story.ts';

const DAY_MS = 86_400_000;

/** Protocol step names as people say them. */
export const STEP_LABEL: Readonly<Record<string, string>> = Object.freeze({
  visit: 'Visit',
  hcpAssertion: 'HCP assertion',
  xcpd: 'XCPD',
  trc: 'TRC assertion',
  xcaQuery: 'XCA query',
  xcaRetrieve: 'XCA retrieve',
  translate: 'Translation',
  dispense: 'Dispense',
  xdrSubmit: 'XDR eDispensation',
  upload: 'IoT upload',
  outcome: 'Outcome',
});

export function stepLabel(step: string): string {
  return STEP_LABEL[step] ?? step;
}

/** One line saying what the message is and why. */
export function narrate(m: StoryMessage, p: StoryPatient): string {
  const A = p.homeName;
  const B = p.destinationName;
  const hospital = m.flow === 'patientSummary';
  const place = hospital ? 'hospital' : 'pharmacy';
  const hcp = hospital ? 'doctor' : 'pharmacist';
  const doc = hospital ? 'Patient Summary' : 'ePrescription';
  const her = p.sex === 'female' ? 'her' : 'his';
  const label = stepLabel(m.step);

  if (m.kind === 'failure') return `${label}: ${failedWhere(m, A, B)} — ${explain(m.reason ?? 'unknown')}`;
  const route = `${m.from}>${m.to}`;
  switch (m.step) {
    case 'visit':
      return hospital
        ? `Emergency: a ${p.age}-year-old ${p.sex === 'female' ? 'woman' : 'man'} from ${A} is seen at a hospital in ${B}; the doctor wants ${her} Patient Summary`
        : `Visit: a ${p.age}-year-old ${p.sex === 'female' ? 'woman' : 'man'} from ${A} asks a pharmacy in ${B} to dispense ${her} ePrescription from ${A}`;
    case 'outcome':
      return outcomeLine(m, A, B);
    case 'hcpAssertion':
      return route === 'pointOfCare>ncpB' ? `${label}: the ${hcp} proves to NCP ${B} who is asking, and in what role` : `${label}: NCP ${B} accepts the ${hcp}'s identity`;
    case 'trc':
      return route === 'pointOfCare>ncpB' ? `${label}: the ${hcp} confirms treating this patient (treatment relationship)` : `${label}: NCP ${B} accepts the treatment relationship`;
    case 'translate':
      return route === 'pointOfCare>ncpB'
        ? `${label}: NCP ${B} translates the pivot document with the terminology service (MTC)`
        : `${label}: the ${doc} is on the ${hcp}'s screen, in the language of ${B}`;
    case 'xcpd':
      return exchangeLine(route, {
        ask: `${label}: the ${place} asks NCP ${B} to identify the patient in ${A}`,
        cross: `${label}: ${B} asks ${A} who this patient is`,
        local: `${label}: NCP ${A} looks the patient up in ${A}'s national identity service`,
        answer: `${label}: ${A} answers with one match`,
      });
    case 'xcaQuery':
      return exchangeLine(route, {
        ask: `${label}: the ${place} asks for the patient's ${doc}`,
        cross: `${label}: ${B} asks ${A} which ${doc} documents this patient has`,
        local: `${label}: NCP ${A} checks the patient's consent and looks for ${doc} documents`,
        answer: `${label}: ${A} answers: consent given, the ${doc} is available`,
      });
    case 'xcaRetrieve':
      return exchangeLine(route, {
        ask: `${label}: the ${place} asks for the ${doc} itself`,
        cross: `${label}: ${B} asks ${A} for the ${doc}`,
        local: `${label}: NCP ${A} fetches the ${doc} and transcodes it into the common pivot format`,
        answer: `${label}: ${A} sends the ${doc} in the pivot format`,
      });
    case 'xdrSubmit':
      return exchangeLine(route, {
        ask: `${label}: the pharmacy reports what it dispensed`,
        cross: `${label}: ${B} tells ${A} the ePrescription was dispensed`,
        local: `${label}: NCP ${A} records the dispensation, so the ePrescription cannot be dispensed twice`,
        answer: `${label}: ${A} acknowledges the eDispensation`,
      });
    case 'upload':
      return m.kind === 'request' ? `${label}: the patient's device sends its readings to the health platform in ${A}` : `${label}: the platform in ${A} confirms it has the readings`;
    default:
      return `${label}: ${m.kind} from ${m.from} to ${m.to}`;
  }
}

function exchangeLine(route: string, lines: { ask: string; cross: string; local: string; answer: string }): string {
  if (route === 'pointOfCare>ncpB') return lines.ask;
  if (route === 'ncpB>ncpA') return lines.cross;
  if (route === 'ncpA>nationalA') return lines.local;
  return lines.answer;
}

function failedWhere(m: StoryMessage, A: string, B: string): string {
  switch (m.from) {
    case 'ncpA':
      return `NCP ${A} returns an error`;
    case 'ncpB':
      if (m.reason === 'TIMEOUT') return `no answer from ${A} in time`;
      if (m.reason === 'CIRCUIT_OPEN') return `NCP ${B} fails fast without asking ${A}`;
      return `NCP ${B} cannot serve the request`;
    case 'device':
    case 'platformA':
      return `the upload to ${A} fails; the readings stay on the device`;
    default:
      return `${m.from} fails`;
  }
}

/** `REASON (code): meaning`, or the bare reason when it is not in the vocabulary. */
export function explain(reason: string): string {
  const info = REASON_INFO[reason];
  if (info === undefined) return reason;
  return `${reason}${info.code === null ? '' : ` (${info.code})`}: ${info.meaning}`;
}

function outcomeLine(m: StoryMessage, A: string, B: string): string {
  const after = m.reason === undefined ? '' : ` (after ${m.reason})`;
  const o = m.outcome ?? '';
  const text: Readonly<Record<string, string>> = {
    dispensed: 'the pharmacist hands over the medicine',
    payPrivately: 'no ePrescription: the patient pays for the medicine privately',
    paperPrescription: 'no ePrescription: a local doctor writes a paper prescription',
    goWithout: 'no ePrescription: the patient goes without the medicine',
    treatedWithSummary: `the doctor treats the patient with the Patient Summary from ${A}`,
    treatedWithCachedSummary: `the doctor treats the patient with a Patient Summary already cached in ${B}`,
    treatedWithWalletSummary: "the doctor treats the patient with the offline Patient Summary in the patient's EUDI wallet",
    treatedWithoutSummary: 'the doctor treats the patient without a Patient Summary',
  };
  return `Outcome: ${text[o] ?? o}${after}`;
}

/** Simulated time of day, `HH:MM:SS.mmm` (ms floored). */
export function clockOf(t: number): string {
  const ms = Math.floor(((t % DAY_MS) + DAY_MS) % DAY_MS);
  const h = Math.floor(ms / 3_600_000);
  const min = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h, 2)}:${pad(min, 2)}:${pad(s, 2)}.${pad(ms % 1000, 3)}`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Calendar day of simulated time `t` for a scenario starting on `startDate` (YYYY-MM-DD): `Sunday 2 August 2026`. */
export function dayOf(startDate: string, t: number): string {
  const [y, mo, d] = startDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d) + Math.floor(t / DAY_MS) * DAY_MS);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** Who the patient is, in one line. */
export function patientLine(p: StoryPatient): string {
  return `${p.id}: a ${p.age}-year-old ${p.sex === 'female' ? 'woman' : 'man'} from ${p.homeName} (country A) in ${p.destinationName} (country B)`;
}

/**
 * The story as plain text: a title, the patient, then `HH:MM:SS.mmm  text`
 * lines under a heading for each calendar day. No colour, no control codes.
 */
export function scriptText(story: DemoStory): string {
  const out: string[] = [`pitsim demo: ${story.scenario}, seed ${story.seed}, replication 0`, patientLine(story.patient)];
  let day = '';
  for (const m of story.messages) {
    const d = dayOf(story.startDate, m.t);
    if (d !== day) {
      out.push('', d);
      day = d;
    }
    out.push(`${clockOf(m.t)}  ${narrate(m, story.patient)}`);
  }
  return out.join('\n') + '\n';
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
