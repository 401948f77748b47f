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
    return new PrescriptionView(this.bits, slot, rx);
  }
}

/**
 * One patient's bits, as a class: accessors on a shared prototype give every
 * view one hidden class. (An object literal with get/set made fresh accessor
 * closures per view, so each view had a map of its own: megamorphic property
 * access in the flows, and their optimised code thrown away and recompiled.)
 */
class PrescriptionView implements PrescriptionState {
  constructor(
    private readonly bits: Uint8Array,
    private readonly slot: number,
    readonly rx: Prescription,
  ) {}

  get recordedAtA(): boolean {
    return (this.bits[this.slot]! & RECORDED_AT_A) !== 0;
  }
  set recordedAtA(v: boolean) {
    this.set(RECORDED_AT_A, v);
  }
  get dispensed(): boolean {
    return (this.bits[this.slot]! & DISPENSED) !== 0;
  }
  set dispensed(v: boolean) {
    this.set(DISPENSED, v);
  }

  private set(bit: number, v: boolean): void {
    const b = this.bits[this.slot]!;
    this.bits[this.slot] = v ? b | bit : b & ~bit;
  }
}
