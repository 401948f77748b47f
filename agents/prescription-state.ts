/**
 * Where a patient's ePrescription stands during a journey: whether A has
 * recorded a dispensation and whether the patient holds the medicine. Kept as
 * bits in a table by patient slot; a PrescriptionState is a live view of one
 * patient's bits, made when a need falls due.
 */
import type { Prescription } from './population/index.ts';

const RECORDED_AT_A = 1;
const DISPENSED = 2;

/** The eP being refilled, and its state as A's registry and the patient see it. */
export interface PrescriptionState {
  readonly rx: Prescription;
  recordedAtA: boolean;
  dispensed: boolean;
}

export class PrescriptionTable {
  readonly bits: Uint8Array;
  constructor(size: number) {
    this.bits = new Uint8Array(size);
  }

  view(slot: number, rx: Prescription): PrescriptionState {
    const bits = this.bits;
    return {
      rx,
      get recordedAtA() {
        return (bits[slot]! & RECORDED_AT_A) !== 0;
      },
      set recordedAtA(v: boolean) {
        bits[slot] = v ? bits[slot]! | RECORDED_AT_A : bits[slot]! & ~RECORDED_AT_A;
      },
      get dispensed() {
        return (bits[slot]! & DISPENSED) !== 0;
      },
      set dispensed(v: boolean) {
        bits[slot] = v ? bits[slot]! | DISPENSED : bits[slot]! & ~DISPENSED;
      },
    };
  }
}
