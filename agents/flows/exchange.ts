/**
 * One cross-border request/response between NCP-B and NCP-A (XCPD, XCA, XDR),
 * raced against the client timeout, with retries (exponential backoff, jitter)
 * on transport failures and B's circuit breaker per country A. Faults act on
 * the way: B's or A's NCP down, expired certificates, a partition, slow links,
 * loss, breached relays (which read what passes unless it is encrypted end to
 * end). A decides when it serves the request; its side effects stand even
 * when B has already given up, as on the real network.
 */
import { sampleDuration, type ProcessGenerator, type RandomStream } from '../../engine/index.ts';
import type { InitiatorTransaction, ResponderTransaction } from '../../scenarios/spec.ts';
import type { StepName } from '../names.ts';
import type { Actor } from '../observer.ts';
import { REASON, retryable } from '../reasons.ts';
import type { FlowRecorder } from '../recorders.ts';
import type { CountryNodes, World } from '../world.ts';

/** What A answers when it serves a request: null for success, else a reason. */
export type Decide = () => string | null;

/** Who the exchange is for, so breaches and the observer can name the patient. */
export interface Subject {
  readonly patient: string;
  readonly flow: string;
}

/** A leg's marker for a lost message: B hears nothing and waits for its timeout. */
const LOST = '\u0000lost';

/** A step served by NCP-B alone (HCP assertion, TRC, translation): a national round trip plus service, with retries. */
export function* localStep(
  w: World,
  flow: FlowRecorder,
  step: StepName,
  b: CountryNodes,
  tx: InitiatorTransaction,
  rng: RandomStream,
  who: Subject,
): ProcessGenerator<string | null> {
  const rec = flow.step(step);
  for (let attempt = 0; ; attempt++) {
    const t0 = w.sim.now;
    const nat = w.network.national();
    say(w, who, step, 'pointOfCare', 'ncpB', 'request');
    yield w.network.delay(nat, rng);
    const reason = b.ncp.health.certExpired > 0 ? REASON.tls : yield* b.ncp.serve(b.spec.ncp.serviceTime[tx], rng);
    if (reason === null) {
      yield w.network.delay(nat, rng);
      say(w, who, step, 'ncpB', 'pointOfCare', 'response');
      rec.ok(w.sim.now - t0);
      return null;
    }
    say(w, who, step, 'ncpB', 'pointOfCare', 'failure', reason);
    rec.fail();
    if (!retryable(reason) || attempt >= w.spec.policies.retries.max) return reason;
    yield backoff(w, attempt, rng);
  }
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
  who: Subject,
): ProcessGenerator<string | null> {
  const sim = w.sim;
  const timeoutMs = w.spec.policies.timeoutMs[tx];
  const rec = flow.step(step);
  const breaker = w.breaker(b.spec.code, a.spec.code);
  for (let attempt = 0; ; attempt++) {
    if (!breaker.allow(sim.now)) {
      rec.fail();
      say(w, who, step, 'ncpB', 'pointOfCare', 'failure', REASON.circuitOpen);
      return REASON.circuitOpen;
    }
    const t0 = sim.now;
    const leg = sim.process(remoteLeg(w, step, tx, b, a, rng, decide, who));
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
      breaker.success();
      rec.ok(sim.now - t0);
      return null;
    }
    rec.fail();
    if (retryable(reason) || reason === REASON.tls) breaker.failure(sim.now);
    else breaker.success(); // A answered: the transport works
    if (reason === REASON.timeout) say(w, who, step, 'ncpB', 'pointOfCare', 'failure', reason);
    if (!retryable(reason) || attempt >= w.spec.policies.retries.max) return reason;
    yield backoff(w, attempt, rng);
  }
}

function* remoteLeg(
  w: World,
  step: StepName,
  tx: ResponderTransaction,
  b: CountryNodes,
  a: CountryNodes,
  rng: RandomStream,
  decide: Decide | null,
  who: Subject,
): ProcessGenerator<string | null> {
  const net = w.network;
  const nat = net.national();
  const enc = w.spec.policies.encryption;
  say(w, who, step, 'pointOfCare', 'ncpB', 'request');
  yield net.delay(nat, rng); // point of care -> NCP-B (national client connector)
  if (enc.endToEnd) yield sampleDuration(enc.costPerMessage, rng); // encrypt at the point of care
  let r = yield* b.ncp.serve(b.spec.ncp.serviceTime.outbound, rng);
  if (r !== null) return fail(w, who, step, 'ncpB', r);
  if (b.ncp.health.compromised > 0 && !enc.endToEnd) w.security.expose(who.patient);
  if (b.ncp.health.certExpired > 0 || a.ncp.health.certExpired > 0) return fail(w, who, step, 'ncpA', REASON.tls);
  const link = net.link(b.spec.code, a.spec.code);
  const health = net.healthIfAny(b.spec.code, a.spec.code);
  if (health !== null && health.partitioned > 0) return fail(w, who, step, 'ncpA', REASON.connection);
  say(w, who, step, 'ncpB', 'ncpA', 'request');
  if (net.lost(link, rng)) return LOST;
  yield net.delay(link, rng) + (health === null ? 0 : health.extraDelay(rng));
  r = yield* a.ncp.serve(a.spec.ncp.serviceTime[tx], rng);
  if (r !== null) return fail(w, who, step, 'ncpA', r);
  if (a.ncp.health.compromised > 0 && !enc.endToEnd) w.security.expose(who.patient);
  say(w, who, step, 'ncpA', 'nationalA', 'local');
  const reason = decide === null ? null : decide();
  if (net.lost(link, rng)) {
    // A answered and audited the disclosure; B never learns of it.
    w.security.auditGaps++;
    return LOST;
  }
  yield net.delay(link, rng) + (health === null ? 0 : health.extraDelay(rng));
  if (enc.endToEnd) yield sampleDuration(enc.costPerMessage, rng); // decrypt at the point of care
  yield net.delay(nat, rng); // NCP-B -> point of care
  say(w, who, step, 'ncpA', 'ncpB', reason === null ? 'response' : 'failure', reason ?? undefined);
  return reason;
}

function fail(w: World, who: Subject, step: StepName, at: Actor, reason: string): string {
  say(w, who, step, at, 'ncpB', 'failure', reason);
  return reason;
}

function backoff(w: World, attempt: number, rng: RandomStream): number {
  const r = w.spec.policies.retries;
  const base = r.backoffMs * Math.pow(r.factor, attempt);
  return r.jitter > 0 ? base * (1 + r.jitter * (2 * rng.next() - 1)) : base;
}

export function say(w: World, who: Subject, step: string, from: Actor, to: Actor, kind: 'request' | 'response' | 'failure' | 'local', reason?: string): void {
  const o = w.observer;
  if (o === null || o.message === undefined) return;
  o.message(reason === undefined ? { t: w.sim.now, patient: who.patient, flow: who.flow, step, from, to, kind } : { t: w.sim.now, patient: who.patient, flow: who.flow, step, from, to, kind, reason });
}

