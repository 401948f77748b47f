/**
 * The kernel's public surface. engine/ knows nothing of health: a clock, a
 * schedule, events, processes, resources, stores, seeded random streams,
 * distributions, real-time pacing and traces.
 */
export { Simulation, type SimulationOptions } from './simulation.ts';
export { Event, Timeout, URGENT, NORMAL, PENDING, TRIGGERED, PROCESSED, type EventState } from './event.ts';
export { Process, type ProcessGenerator, type Yieldable } from './process.ts';
export { Condition, ConditionValue } from './condition.ts';
export { Resource, PriorityResource, Request, type ResourceStats, type WaitRecorder } from './resource.ts';
export { Store, StoreGet, StorePut } from './store.ts';
export { RandomStream } from './random.ts';
export { type Distribution, type DistributionKind, sample, sampleDuration, mean, variance } from './distribution.ts';
export { parseDistribution, parseDuration, formatDistribution, type Dimension } from './distribution-parse.ts';
export { RealtimePacer, type WallClock, type PacerOptions } from './realtime.ts';
export { type TraceSink, TraceHash, TraceLog, JsonLinesTrace, TeeTrace } from './trace.ts';
export { KernelError, UnhandledFailureError, Interrupt, DistributionError } from './errors.ts';
export { hash128, hash128Words, hash32 } from './hash.ts';
export { closest } from './suggest.ts';
export { type SimTime, MS_PER_UNIT, TIME_UNITS, formatDuration } from './units.ts';
export { Histogram, type HistogramSummary, type EncodedHistogram } from './histogram.ts';
