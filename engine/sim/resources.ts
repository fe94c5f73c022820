// Shared resources for simulated processes (SimPy's Resource and Store): they block a process by handing
// it a promise and wake it by resolving that promise, so they need no timers and work on any Clock. On
// the virtual clock the kernel runs the woken process's continuation before time moves on.

/**
 * A resource with a fixed number of slots, granted first come, first served — e.g. ETL cluster
 * capacity or Data Factory's slice concurrency. "A gas station with `capacity` pumps."
 */
export class Resource {
  private readonly waiters: (() => void)[] = [];
  private inUse = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1) || !Number.isInteger(capacity)) throw new RangeError(`resource capacity must be an integer ≥ 1 (got ${capacity})`);
  }

  /** Slots currently held. */
  get used(): number {
    return this.inUse;
  }

  /** Processes waiting for a slot. */
  get queued(): number {
    return this.waiters.length;
  }

  /** Resolves when a slot is granted; call the returned function exactly once to give it back. */
  async acquire(): Promise<() => void> {
    if (this.inUse < this.capacity) this.inUse++;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    let released = false;
    return () => {
      if (released) throw new Error('resource slot released twice');
      released = true;
      const next = this.waiters.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.inUse--;
    };
  }

  /** Runs `work` holding one slot. */
  async use<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/**
 * A FIFO buffer between processes, optionally bounded: `get` waits while it is empty and `put` waits
 * while it is full — e.g. the backlog between Event Hubs and the Stream Analytics job.
 */
export class Store<T> {
  private readonly items: T[] = [];
  private readonly getters: ((item: T) => void)[] = [];
  private readonly putters: { item: T; resolve: () => void }[] = [];

  constructor(readonly capacity = Infinity) {
    if (!(capacity >= 1)) throw new RangeError(`store capacity must be ≥ 1 (got ${capacity})`);
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds an item; waits while the store is full. */
  put(item: T): Promise<void> {
    const getter = this.getters.shift();
    if (getter) {
      getter(item);
      return Promise.resolve();
    }
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.putters.push({ item, resolve }));
  }

  /** Takes the oldest item; waits while the store is empty. */
  get(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Takes the oldest item if there is one. */
  tryGet(): T | undefined {
    return this.items.length > 0 ? this.take() : undefined;
  }

  private take(): T {
    const item = this.items.shift() as T;
    const putter = this.putters.shift();
    if (putter) {
      this.items.push(putter.item);
      putter.resolve();
    }
    return item;
  }
}
