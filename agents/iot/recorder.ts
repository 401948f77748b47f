/**
 * Tallies of the Internet-of-Things side of a replication: readings generated,
 * delivered, lost to buffer overflow, exfiltrated by compromised devices,
 * personal-data fields that crossed a border, alerts and their latency.
 */
import { Histogram } from '../../engine/index.ts';
import type { IotTally } from '../result.ts';

export class IotRecorder {
  devices = 0;
  readingsGenerated = 0;
  readingsDelivered = 0;
  readingsLost = 0;
  readingsExfiltrated = 0;
  personalFieldsCrossed = 0;
  alerts = 0;
  readonly alertLatency = new Histogram();

  encode(): IotTally {
    return {
      devices: this.devices,
      readingsGenerated: this.readingsGenerated,
      readingsDelivered: this.readingsDelivered,
      readingsLost: this.readingsLost,
      readingsExfiltrated: this.readingsExfiltrated,
      personalFieldsCrossed: this.personalFieldsCrossed,
      alerts: this.alerts,
      alertLatency: this.alertLatency.encode(),
    };
  }
}
