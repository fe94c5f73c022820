// The virtual clock: the Clock port backed by the discrete-event kernel. `sleepUntil` puts an entry on
// the kernel's agenda instead of a timer, so a service written against Clock runs unchanged on
// simulated time (fast, reproducible) or on real time (WallClock / PacedClock).
import type { Clock, EpochMs } from '../ports/clock.js';
import { NORMAL, type SimKernel } from './kernel.js';

export class VirtualClock implements Clock {
  constructor(
    readonly kernel: SimKernel,
    /** Priority of wake-ups; processes that must observe others' effects at the same instant use LATE. */
    private readonly priority = NORMAL,
  ) {}

  now(): EpochMs {
    return this.kernel.now;
  }

  /** Wakes at `at`; a time already passed wakes at the current instant, as the Clock port promises. */
  sleepUntil(at: EpochMs): Promise<void> {
    if (Number.isNaN(at)) return Promise.reject(new RangeError('sleepUntil(NaN)'));
    return new Promise((resolve) => {
      this.kernel.schedule(Math.max(at, this.kernel.now), resolve, { priority: this.priority, label: 'wake' });
    });
  }

  /** Sleeps for `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    if (!(ms >= 0)) return Promise.reject(new RangeError(`sleep duration must be ≥ 0 (got ${ms})`));
    return this.sleepUntil(this.kernel.now + ms);
  }
}
