// The paced clock: scenario time that runs `speed` times faster (or slower) than a base clock, usually the
// wall clock. At speed 1 it is real time from a chosen origin; at speed 60 one simulated hour takes one
// real minute. Services that live in real time (the emulator front doors serving outside clients) use
// it so their timeline matches the scenario's; the kernel's own pacing (KernelOptions.pacing) is the
// counterpart for discrete-event runs.
import type { Clock, EpochMs } from '../ports/clock.js';

export interface PacedClockOptions {
  /** The real clock underneath (WallClock in production; a VirtualClock in tests). */
  base: Clock;
  /** Scenario seconds per base second; must be > 0. */
  speed: number;
  /** Scenario time at the moment the clock is created (defaults to the base clock's now). */
  origin?: EpochMs;
}

export class PacedClock implements Clock {
  private readonly base: Clock;
  readonly speed: number;
  private readonly baseOrigin: EpochMs;
  private readonly origin: EpochMs;

  constructor(options: PacedClockOptions) {
    if (!(options.speed > 0) || !Number.isFinite(options.speed))
      throw new RangeError(`paced clock speed must be a finite number > 0 (got ${options.speed})`);
    this.base = options.base;
    this.speed = options.speed;
    this.baseOrigin = options.base.now();
    this.origin = options.origin ?? this.baseOrigin;
  }

  now(): EpochMs {
    return this.origin + (this.base.now() - this.baseOrigin) * this.speed;
  }

  /** Base-clock time at which scenario time reaches `at`. */
  baseTimeOf(at: EpochMs): EpochMs {
    return this.baseOrigin + (at - this.origin) / this.speed;
  }

  /**
   * Wakes once scenario time has reached `at`. Real timers round to whole milliseconds and may fire a
   * little early; at high speeds that is minutes of scenario time, so the wait repeats until the clock
   * has really passed `at` (the Clock port promises "when the clock reaches at", never before).
   */
  async sleepUntil(at: EpochMs): Promise<void> {
    if (Number.isNaN(at)) throw new RangeError('sleepUntil(NaN)');
    const baseAt = this.baseTimeOf(at);
    while (this.base.now() < baseAt) await this.base.sleepUntil(baseAt);
  }

  sleep(ms: number): Promise<void> {
    return this.sleepUntil(this.now() + ms);
  }
}
