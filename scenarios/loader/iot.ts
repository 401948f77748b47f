/**
 * A cohort's `iot:` -> CohortIot: which connected devices its patients carry
 * (per device kind: share, reading interval, offline buffer, default
 * passwords) and how often their phone is offline abroad. Everything is
 * partial: a device kind left out, or a device field left out, keeps its
 * default from DEFAULT_DEVICES. `cgm: 0.6` is short for `cgm: { share: 0.6 }`.
 */
import { isScalar } from 'yaml';
import { parseDuration } from '../../engine/index.ts';
import { DEVICE_KINDS, type CohortIot, type DeviceKind, type DeviceSpec } from '../spec.ts';
import { DEFAULT_ALERT_EMERGENCY_SHARE, DEFAULT_ALERTS_PER_DAY, DEFAULT_DEVICES, DEFAULT_OFFLINE_SHARE, DEFAULT_OFFLINE_SPELL } from '../defaults.ts';
import type { Context } from './context.ts';
import { isNull, type Entry, type Reader } from './reader.ts';

const IOT_KEYS = ['devices', 'offline', 'offlineSpell', 'alertsPerDay', 'alertEmergencyShare'];
const DEVICE_KEYS = ['share', 'interval', 'buffer', 'defaultPassword'];

export function readIot(ctx: Context, e: Entry | undefined): CohortIot {
  const { r } = ctx;
  const f = e && r.fields(e.value, e.path, IOT_KEYS);
  const get = (k: string): Entry | undefined => f?.get(k);
  const offline = get('offline');
  const spell = get('offlineSpell');
  const alerts = get('alertsPerDay');
  const emergency = get('alertEmergencyShare');
  return {
    devices: devices(r, get('devices')),
    offlineShare: (offline && r.probability(offline.value, offline.path)) ?? DEFAULT_OFFLINE_SHARE,
    offlineSpellMs: (spell && r.duration(spell.value, spell.path, true)) ?? parseDuration(DEFAULT_OFFLINE_SPELL),
    alertsPerDay: (alerts && r.number(alerts.value, alerts.path, { min: 0 }, 'alerts per device-day, a number >= 0')) ?? DEFAULT_ALERTS_PER_DAY,
    alertEmergencyShare: (emergency && r.probability(emergency.value, emergency.path)) ?? DEFAULT_ALERT_EMERGENCY_SHARE,
  };
}

function devices(r: Reader, e: Entry | undefined): Record<DeviceKind, DeviceSpec> {
  const given = e && r.fields(e.value, e.path, DEVICE_KINDS);
  const out = {} as Record<DeviceKind, DeviceSpec>;
  for (const k of DEVICE_KINDS) out[k] = device(r, given?.get(k), k);
  return out;
}

function device(r: Reader, e: Entry | undefined, kind: DeviceKind): DeviceSpec {
  const d = DEFAULT_DEVICES[kind];
  const base: DeviceSpec = { share: d.share, intervalMs: parseDuration(d.interval), bufferReadings: d.bufferReadings, defaultPassword: d.defaultPassword };
  if (e === undefined) return base;
  if (isScalar(e.value) && typeof e.value.value === 'number') return { ...base, share: r.probability(e.value, e.path) ?? base.share };
  if (isScalar(e.value) && !isNull(e.value)) {
    r.wrongType(e.value, e.path, 'a share such as 0.6, or a mapping such as { share: 0.6, interval: 5min, buffer: 2016, defaultPassword: 0.1 }');
    return base;
  }
  const f = r.fields(e.value, e.path, DEVICE_KEYS);
  const share = f?.get('share');
  const interval = f?.get('interval');
  const buffer = f?.get('buffer');
  const pw = f?.get('defaultPassword');
  return {
    share: (share && r.probability(share.value, share.path)) ?? base.share,
    intervalMs: (interval && r.duration(interval.value, interval.path, true)) ?? base.intervalMs,
    bufferReadings: (buffer && r.integer(buffer.value, buffer.path, 0)) ?? base.bufferReadings,
    defaultPassword: (pw && r.probability(pw.value, pw.path)) ?? base.defaultPassword,
  };
}
