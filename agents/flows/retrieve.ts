/**
 * The shared front half of Patient Summary and ePrescription: service
 * discovery, HCP assertion, XCPD identification at A, TRC assertion, XCA query
 * (consent, break-glass and availability checked at A; abuse detection counts
 * it), XCA retrieve (A transcodes to the pivot), translation at B (a missing
 * translation or a terminology outage is a warning, not a failure).
 */
import type { ProcessGenerator, RandomStream } from '../../engine/index.ts';
import type { ServiceName } from '../../scenarios/reference/types.ts';
import type { ConsentState } from '../consent.ts';
import type { Patient } from '../population/index.ts';
import { REASON, WARNING } from '../reasons.ts';
import type { FlowRecorder } from '../recorders.ts';
import type { CountryNodes, World } from '../world.ts';
import { exchange, localStep, type Decide, type Subject } from './exchange.ts';

export interface RetrieveContext {
  readonly service: ServiceName;
  readonly patient: Patient;
  readonly consent: ConsentState;
  /** Id of the point of care asking (for abuse detection). */
  readonly pointOfCare: string;
  /** Purpose EMERGENCY: break-glass may override a refusal. */
  readonly emergency: boolean;
  /** Extra check at A on the query (e.g. already dispensed), after consent. */
  readonly queryCheck: Decide | null;
}

export function* crossBorderRetrieve(w: World, flow: FlowRecorder, ctx: RetrieveContext, b: CountryNodes, a: CountryNodes, rng: RandomStream): ProcessGenerator<string | null> {
  const service = ctx.service;
  const p = ctx.patient;
  const who: Subject = { patient: p.id, flow: service };
  if (!b.spec.services[service].asB) return REASON.notOfferedByB;
  if (!a.spec.services[service].asA) return REASON.notOfferedByA;

  let r = yield* localStep(w, flow, 'hcpAssertion', b, 'hcpAssertion', rng, who);
  if (r !== null) return r;

  r = yield* exchange(w, flow, 'xcpd', 'xcpd', b, a, rng, () => identify(w, p, rng), who);
  if (r !== null) return r;

  r = yield* localStep(w, flow, 'trc', b, 'trc', rng, who);
  if (r !== null) return r;

  r = yield* exchange(w, flow, 'xcaQuery', 'xcaQuery', b, a, rng, () => authorise(w, ctx, a), who);
  if (r !== null) return r;

  const transcodingErrorRate = a.spec.transcodingErrorRate;
  r = yield* exchange(w, flow, 'xcaRetrieve', 'xcaRetrieve', b, a, rng, () => (transcodingErrorRate > 0 && rng.next() < transcodingErrorRate ? REASON.transcoding : null), who);
  if (r !== null) return r;

  r = yield* localStep(w, flow, 'translate', b, 'translate', rng, who);
  if (r !== null) return r;
  if (w.terminology.down > 0 || (b.spec.translationMissingRate > 0 && rng.next() < b.spec.translationMissingRate)) {
    flow.warning(service === 'patientSummary' ? WARNING.psTranslation : WARNING.epTranslation);
  }
  return null;
}

/** XCA query at A: consent as A's NCP knows it, break-glass in emergencies, then the flow's own check. */
function authorise(w: World, ctx: RetrieveContext, a: CountryNodes): string | null {
  w.abuseDetector(a.spec.code).request(w.sim.now, ctx.patient.id, ctx.pointOfCare);
  const verdict = ctx.consent.check(ctx.service, w.sim.now);
  if (verdict === 'refused') {
    if (!(ctx.emergency && w.spec.policies.breakGlass)) return REASON.noConsent;
    w.security.breakGlassAccesses++; // lawful, audited emergency access
  } else if (verdict === 'violation') {
    w.security.consentViolations++; // revoked, but A's NCP has not heard yet
  }
  return ctx.queryCheck === null ? null : ctx.queryCheck();
}

/** XCPD at A: the best identity means the patient presents decides the match probability. */
function identify(w: World, p: Patient, rng: RandomStream): string | null {
  const probs = w.spec.protocol.identification;
  let best = 0;
  if (p.identity.eudiWallet) best = Math.max(best, probs.eudiWallet);
  if (p.identity.nationalId) best = Math.max(best, probs.nationalId);
  if (p.identity.ehic) best = Math.max(best, probs.ehic);
  if (best === 0) return REASON.noMatch;
  return best >= 1 || rng.next() < best ? null : REASON.noMatch;
}
