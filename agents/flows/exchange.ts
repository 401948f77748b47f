/**
 * One cross-border request/response between NCP-B and NCP-A (XCPD, XCA, XDR),
 * raced against the client timeout, with retries on timeouts and connection
 * failures. A decides at the moment it serves the request (consent, match,
 * transcoding, recording a dispensation): side effects at A happen even when
 * B has already given up, as on the real network.
 */
import type { ProcessGenerator, RandomStream } from '../../engine/index.ts';
import type { InitiatorTransaction, ResponderTransaction } from '../../scenarios/spec.ts';
import type { StepName } from '../names.ts';
import { REASON, retryable } from '../reasons.ts';
import type { FlowRecorder } from '../recorders.ts';
import type { CountryNodes, World } from '../world.ts';

/** What A answers when it serves a request: null for success, else a reason. */
export type Decide = () => string | null;

/** A leg's marker for a lost message: B hears nothing and waits for its timeout. */
const LOST = '\u0000lost';

/** A step served by NCP-B alone (HCP assertion, TRC, translation): a national round trip plus service. */
export function* localStep(w: World, flow: FlowRecorder, step: StepName, b: CountryNodes, tx: InitiatorTransaction, rng: RandomStream): ProcessGenerator<void> {
  const t0 = w.sim.now;
  const nat = w.network.national();
  yield w.network.delay(nat, rng);
  yield* b.ncp.serve(b.spec.ncp.serviceTime[tx], rng);
  yield w.network.delay(nat, rng);
  flow.step(step).ok(w.sim.now - t0);
}

/** B asks A; returns null on success or the failure reason after retries are spent. */
export function* exchange(
  w: World,
  flow: FlowRecorder,
  step: StepName,
  tx: ResponderTransaction,
  b: CountryNodes,
  a: CountryNodes,
  rng: RandomStream,
  decide: Decide | null,
): ProcessGenerator<string | null> {
  const sim = w.sim;
  const timeoutMs = w.spec.policies.timeoutMs[tx];
  const retries = w.spec.policies.retries;
  const rec = flow.step(step);
  for (let attempt = 0; ; attempt++) {
    const t0 = sim.now;
    const leg = sim.process(remoteLeg(w, tx, b, a, rng, decide));
    const timer = sim.timeout(timeoutMs);
    yield sim.anyOf([leg, timer]);
    let reason: string | null;
    if (leg.triggered) {
      reason = leg.value;
      if (reason === LOST) {
        yield timer; // nothing comes back: B waits out its timeout
        reason = REASON.timeout;
      }
    } else {
      reason = REASON.timeout;
    }
    if (reason === null) {
      rec.ok(sim.now - t0);
      return null;
    }
    rec.fail();
    if (!retryable(reason) || attempt >= retries.max) return reason;
    yield retries.backoffMs * Math.pow(retries.factor, attempt);
  }
}

function* remoteLeg(w: World, tx: ResponderTransaction, b: CountryNodes, a: CountryNodes, rng: RandomStream, decide: Decide | null): ProcessGenerator<string | null> {
  const net = w.network;
  const nat = net.national();
  yield net.delay(nat, rng); // point of care -> NCP-B (national client connector)
  yield* b.ncp.serve(b.spec.ncp.serviceTime.outbound, rng);
  const link = net.link(b.spec.code, a.spec.code);
  if (net.lost(link, rng)) return LOST;
  yield net.delay(link, rng);
  yield* a.ncp.serve(a.spec.ncp.serviceTime[tx], rng);
  const reason = decide === null ? null : decide();
  if (net.lost(link, rng)) {
    // A answered and audited the disclosure; B never learns of it.
    w.security.auditGaps++;
    return LOST;
  }
  yield net.delay(link, rng);
  yield net.delay(nat, rng); // NCP-B -> point of care
  return reason;
}
