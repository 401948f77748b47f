/**
 * The shared front half of Patient Summary and ePrescription: service
 * discovery, HCP assertion, XCPD identification at A, TRC assertion, XCA query
 * (consent and availability checked at A), XCA retrieve (A transcodes to the
 * pivot), translation at B (a missing translation is a warning, not a failure).
 */
import type { ProcessGenerator, RandomStream } from '../../engine/index.ts';
import type { Patient } from '../population/index.ts';
import type { ServiceName } from '../../scenarios/reference/types.ts';
import { REASON, WARNING } from '../reasons.ts';
import type { FlowRecorder } from '../recorders.ts';
import type { CountryNodes, World } from '../world.ts';
import { exchange, localStep, type Decide } from './exchange.ts';

export function* crossBorderRetrieve(
  w: World,
  flow: FlowRecorder,
  service: ServiceName,
  p: Patient,
  b: CountryNodes,
  a: CountryNodes,
  rng: RandomStream,
  /** Extra check at A on the query (e.g. already dispensed), after consent. */
  queryCheck: Decide | null,
): ProcessGenerator<string | null> {
  if (!b.spec.services[service].asB) return REASON.notOfferedByB;
  if (!a.spec.services[service].asA) return REASON.notOfferedByA;

  yield* localStep(w, flow, 'hcpAssertion', b, 'hcpAssertion', rng);

  let r = yield* exchange(w, flow, 'xcpd', 'xcpd', b, a, rng, () => identify(w, p, rng));
  if (r !== null) return r;

  yield* localStep(w, flow, 'trc', b, 'trc', rng);

  r = yield* exchange(w, flow, 'xcaQuery', 'xcaQuery', b, a, rng, () => {
    if (!p.consent[service]) return REASON.noConsent;
    return queryCheck === null ? null : queryCheck();
  });
  if (r !== null) return r;

  const transcodingErrorRate = a.spec.transcodingErrorRate;
  r = yield* exchange(w, flow, 'xcaRetrieve', 'xcaRetrieve', b, a, rng, () =>
    transcodingErrorRate > 0 && rng.next() < transcodingErrorRate ? REASON.transcoding : null,
  );
  if (r !== null) return r;

  yield* localStep(w, flow, 'translate', b, 'translate', rng);
  if (b.spec.translationMissingRate > 0 && rng.next() < b.spec.translationMissingRate) {
    flow.warning(service === 'patientSummary' ? WARNING.psTranslation : WARNING.epTranslation);
  }
  return null;
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
