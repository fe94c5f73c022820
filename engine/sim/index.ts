// Simulation time: the discrete-event kernel and the clocks built on it.
export { SimKernel, URGENT, NORMAL, LATE } from './kernel.js';
export type { KernelOptions, RunOptions, RunResult, ScheduleOptions, EventHandle, TraceEntry, SimProcess, ProcessState } from './kernel.js';
export { VirtualClock } from './virtual-clock.js';
export { PacedClock, type PacedClockOptions } from './paced-clock.js';
export { WallClock, wallClock } from './wall-clock.js';
export { SchedulingInPastError, SimulationOverflowError, ProcessFailedError } from './errors.js';
export { EventQueue, type QueueEntry } from './event-queue.js';
export { Resource, Store } from './resources.js';
