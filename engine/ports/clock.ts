// The one source of time. Services never read Date.now(): they ask their Clock, so the same code runs
// on the virtual clock (discrete-event, as fast as the CPU allows), a paced clock, or the wall clock.

/** Milliseconds since the Unix epoch, in the clock's own timeline. */
export type EpochMs = number;

export interface Clock {
  now(): EpochMs;
  /** Resolves when the clock reaches `at` (immediately if it already has). */
  sleepUntil(at: EpochMs): Promise<void>;
}
