// The wall clock: real time, for the live emulators (`c360 emulator`) and runs against Azure.
// The only place in the engine that reads the system time.
import type { Clock, EpochMs } from '../ports/clock.js';

export class WallClock implements Clock {
  now(): EpochMs {
    return Date.now();
  }
  sleepUntil(at: EpochMs): Promise<void> {
    const wait = at - Date.now();
    return wait <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
  }
}

export const wallClock: Clock = new WallClock();
