// A FIFO counting semaphore: slices wait for a concurrency slot in the order they became due
// (Data Factory's default execution order, OldestFirst). It uses no timers, so it works on any Clock.

export class Semaphore {
  private readonly waiters: (() => void)[] = [];
  constructor(private available: number) {
    if (!(available >= 1) || !Number.isInteger(available)) throw new RangeError(`semaphore size must be an integer ≥ 1 (got ${available})`);
  }

  acquire(): Promise<void> {
    if (this.available > 0) {
      this.available--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.available++;
  }
}
