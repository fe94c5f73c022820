// A one-shot stop signal for the loop's processes. A process sleeping on the clock wakes early when
// the run stops, so a sender waiting out a 30 s retry delay does not keep the run open.
import type { Clock, EpochMs } from '../ports/clock.js';

export class StopSignal {
  private stopped = false;
  private release!: () => void;
  private readonly whenStopped = new Promise<void>((resolve) => (this.release = resolve));

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.release();
  }

  /** Sleeps until `at` or until stopped; true if the sleep ran to its end. */
  async sleepUntil(clock: Clock, at: EpochMs): Promise<boolean> {
    if (this.stopped) return false;
    await Promise.race([clock.sleepUntil(at), this.whenStopped]);
    return !this.stopped;
  }
}
