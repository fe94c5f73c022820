// The discrete-event kernel: the one place virtual time advances.
//
// It keeps an agenda of callbacks keyed by (time, priority, seq) and fires them in that order, setting
// `now` to each one's time. Simulated processes are ordinary async functions that `await` a Clock
// (see VirtualClock); their sleeps become agenda entries, so an hour of simulated traffic runs in
// milliseconds and, given the same seed, produces the same timeline every time.
//
// Invariants (tests in test/sim/kernel.test.ts hold each of them):
//  1. Time never runs backwards: scheduling before `now` throws SchedulingInPastError.
//  2. Entries fire in (time, priority, seq) order; seq is the scheduling order, so ties are deterministic.
//  3. Between two entries every promise continuation they released has run (the kernel yields one
//     macrotask, which drains the whole microtask queue), so a woken process finishes its step, and
//     schedules its next sleep, before time moves on.
//  4. Work the kernel is told about with `track(promise)` (real I/O such as a model scoring call) holds
//     virtual time still until it settles.
//  5. A process that throws stops run() with ProcessFailedError (SimPy: an un-defused failed event).
//  6. run({ maxEvents }) throws SimulationOverflowError instead of spinning forever.
//  7. Paced mode fires each entry no earlier than its wall-clock due time; while waiting, `now` follows
//     the wall clock (capped at the next entry), and an entry scheduled meanwhile from outside (a front
//     door serving a real client) interrupts the wait and fires at the live time it was given.
import type { Clock, EpochMs } from '../ports/clock.js';
import { EventQueue, type QueueEntry } from './event-queue.js';
import { ProcessFailedError, SchedulingInPastError, SimulationOverflowError } from './errors.js';

/** Fires before NORMAL entries at the same instant (process starts, stop markers). */
export const URGENT = 0;
export const NORMAL = 1;
/** Fires after everything else at the same instant (e.g. end-of-second metric sampling). */
export const LATE = 2;

export interface ScheduleOptions {
  priority?: number;
  /** Shown in traces and error messages. */
  label?: string;
  /**
   * Whether promise continuations released by this callback must run before the next entry fires.
   * Default true. Pure synchronous callbacks (counters, token buckets) may pass false to skip the
   * macrotask yield, which is the kernel's main per-event cost (~2 µs).
   */
  settle?: boolean;
}


export interface EventHandle {
  readonly time: EpochMs;
  cancel(): void;
}

/** An agenda entry; it is also the handle returned to the caller (one allocation per event). */
class Scheduled implements QueueEntry, EventHandle {
  cancelled = false;
  constructor(
    readonly time: number,
    readonly priority: number,
    readonly seq: number,
    readonly action: () => void,
    readonly label: string | undefined,
    readonly settle: boolean,
  ) {}
  cancel(): void {
    this.cancelled = true;
  }
}

export interface TraceEntry {
  time: EpochMs;
  priority: number;
  seq: number;
  label?: string;
}

export interface KernelOptions {
  /** Virtual time at which the simulation starts. */
  start: EpochMs;
  /** Keep a trace of every fired entry (for determinism checks and debugging). */
  trace?: boolean;
  /**
   * Paced mode (SimPy's RealtimeEnvironment): an entry at virtual time t fires no earlier than
   * wallStart + (t − start) / speed on the given wall clock, so a scenario can run live, e.g. at
   * speed 60 a one-hour run takes one minute and outside clients can interact with it.
   */
  pacing?: { wall: Clock; speed: number };
  /** How to let released promise continuations run; defaults to one macrotask (setImmediate). */
  yieldToHost?: () => Promise<void>;
}

export interface RunOptions {
  /** Stop once the next entry is later than this time; `now` is then set to `until`. */
  until?: EpochMs;
  /** Guard against runaway self-scheduling. Default 50 million. */
  maxEvents?: number;
  /** Stop early (checked between entries). */
  signal?: AbortSignal;
}

export interface RunResult {
  now: EpochMs;
  /** Entries fired during this run() call. */
  events: number;
  stoppedBy: 'until' | 'empty' | 'aborted';
  /** Processes that had not finished when the run stopped (blocked on something other than the kernel, if stoppedBy is 'empty'). */
  pendingProcesses: string[];
}

export type ProcessState = 'scheduled' | 'running' | 'finished' | 'failed';

export interface SimProcess<T> {
  readonly name: string;
  readonly state: ProcessState;
  /** Resolves with the process's result; rejects with its error (the kernel also stops the run). */
  readonly done: Promise<T>;
}

const defaultYield = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class SimKernel {
  private current: EpochMs;
  private seq = 0;
  private readonly agenda = new EventQueue<Scheduled>();
  private readonly tracked = new Set<Promise<unknown>>();
  private readonly processes = new Set<{ name: string; state: ProcessState }>();
  private readonly failures: ProcessFailedError[] = [];
  private readonly yieldToHost: () => Promise<void>;
  private readonly pacing: KernelOptions['pacing'];
  private pacingOrigin: { wall: EpochMs; virtual: EpochMs } | undefined;
  /** Set while a paced run waits for the wall clock; `interrupt` ends the wait early. */
  private wallWait:
    | { wall: Clock; wallOrigin: EpochMs; virtualOrigin: EpochMs; speed: number; target: EpochMs; interrupt: () => void }
    | undefined;
  private running = false;
  readonly trace: TraceEntry[] | undefined;
  readonly start: EpochMs;

  constructor(options: KernelOptions) {
    if (!Number.isFinite(options.start)) throw new RangeError(`kernel start time must be finite (got ${options.start})`);
    if (options.pacing && !(options.pacing.speed > 0)) throw new RangeError(`pacing speed must be > 0 (got ${options.pacing.speed})`);
    this.start = options.start;
    this.current = options.start;
    this.trace = options.trace ? [] : undefined;
    this.pacing = options.pacing;
    this.yieldToHost = options.yieldToHost ?? defaultYield;
  }

  /**
   * Current virtual time (epoch milliseconds). In paced mode, while the kernel waits for the wall clock
   * to reach the next entry, time moves on with the wall clock (never past that entry), so outside
   * callers — a front door serving a real client — see live time and can schedule at it.
   */
  get now(): EpochMs {
    const wait = this.wallWait;
    if (!wait) return this.current;
    const live = wait.virtualOrigin + (wait.wall.now() - wait.wallOrigin) * wait.speed;
    return Math.max(this.current, Math.min(live, wait.target));
  }

  /** Number of live entries waiting on the agenda (cancelled ones may still be counted until they surface). */
  get pending(): number {
    return this.agenda.size;
  }

  /** Schedules `action` at absolute time `at`; throws SchedulingInPastError if `at` is before now. */
  schedule(at: EpochMs, action: () => void, options: ScheduleOptions = {}): EventHandle {
    const now = this.now;
    if (!(at >= now)) {
      if (Number.isNaN(at)) throw new RangeError(`cannot schedule${options.label ? ` "${options.label}"` : ''} at NaN`);
      throw new SchedulingInPastError(at, now, options.label);
    }
    const entry = new Scheduled(at, options.priority ?? NORMAL, this.seq++, action, options.label, options.settle ?? true);
    this.agenda.push(entry);
    // A paced run waiting for a later entry must wake up for this earlier one (an outside client's request).
    if (this.wallWait && at < this.wallWait.target) this.wallWait.interrupt();
    return entry;
  }

  /** Schedules `action` after `delay` ms (delay ≥ 0). */
  scheduleIn(delay: number, action: () => void, options: ScheduleOptions = {}): EventHandle {
    const now = this.now;
    if (!(delay >= 0)) throw new SchedulingInPastError(now + delay, now, options.label);
    return this.schedule(now + delay, action, options);
  }

  /** The time of the next live entry, or Infinity if the agenda is empty. */
  peek(): EpochMs {
    return this.agenda.peek()?.time ?? Infinity;
  }

  /**
   * Starts an async function as a simulated process. It begins at the current virtual time, after
   * processes started earlier (its start is an URGENT entry). A process that throws stops run().
   */
  process<T>(name: string, body: () => Promise<T>): SimProcess<T> {
    const record = { name, state: 'scheduled' as ProcessState };
    this.processes.add(record);
    let resolveDone!: (value: T) => void;
    let rejectDone!: (error: unknown) => void;
    const done = new Promise<T>((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    });
    // The kernel reports failures through run(); callers that never await `done` must not see an
    // unhandled rejection for the same error.
    done.catch(() => undefined);
    this.schedule(
      this.now,
      () => {
        record.state = 'running';
        let work: Promise<T>;
        try {
          work = body();
        } catch (error) {
          work = Promise.reject(error);
        }
        work.then(
          (value) => {
            record.state = 'finished';
            this.processes.delete(record);
            resolveDone(value);
          },
          (error: unknown) => {
            record.state = 'failed';
            this.processes.delete(record);
            this.failures.push(new ProcessFailedError(name, this.current, error));
            rejectDone(error);
          },
        );
      },
      { priority: URGENT, label: `start ${name}` },
    );
    return {
      name,
      get state() {
        return record.state;
      },
      done,
    };
  }

  /**
   * Holds virtual time still until `work` settles — for real asynchronous work done inside a process
   * (I/O, native scoring) that must complete "instantly" in simulated time.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.tracked.add(work);
    const forget = () => this.tracked.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Fires the next entry synchronously (no yielding); false if the agenda is empty. For pure callback models. */
  step(): boolean {
    const entry = this.agenda.pop();
    if (!entry) return false;
    this.fire(entry);
    return true;
  }

  private fire(entry: Scheduled): void {
    this.current = entry.time;
    this.trace?.push({ time: entry.time, priority: entry.priority, seq: entry.seq, label: entry.label });
    entry.action();
  }

  /** Lets released continuations and tracked work finish before time moves on. */
  private async settle(): Promise<void> {
    await this.yieldToHost();
    while (this.tracked.size > 0) {
      await Promise.allSettled([...this.tracked]);
      await this.yieldToHost();
    }
    const failure = this.failures.shift();
    if (failure) throw failure;
  }

  /**
   * Paced mode: waits until the wall clock reaches virtual time `at`. Returns false if the wait was cut
   * short because something earlier was scheduled meanwhile (the caller then re-reads the agenda).
   */
  private async waitForWallClock(at: EpochMs): Promise<boolean> {
    const pacing = this.pacing;
    if (!pacing) return true;
    if (!this.pacingOrigin) this.pacingOrigin = { wall: pacing.wall.now(), virtual: this.current };
    const origin = this.pacingOrigin;
    const due = origin.wall + (at - origin.virtual) / pacing.speed;
    let interrupted = false;
    let wake!: () => void;
    const interruption = new Promise<void>((resolve) => (wake = resolve));
    this.wallWait = {
      wall: pacing.wall,
      wallOrigin: origin.wall,
      virtualOrigin: origin.virtual,
      speed: pacing.speed,
      target: at,
      interrupt: () => {
        interrupted = true;
        wake();
      },
    };
    try {
      // Real timers round to whole milliseconds and may fire early: wait until the wall clock has truly passed.
      while (!interrupted && pacing.wall.now() < due) await Promise.race([pacing.wall.sleepUntil(due), interruption]);
    } finally {
      // Keep the live time reached while waiting, but never move past the entry that fires next (an
      // interrupting entry was stamped with the live time of its scheduling, a moment ago).
      this.current = Math.min(this.now, this.agenda.peek()?.time ?? Infinity);
      this.wallWait = undefined;
    }
    return !interrupted;
  }

  /** Runs the simulation until the agenda is empty, `until` is reached, or the signal aborts. */
  async run(options: RunOptions = {}): Promise<RunResult> {
    if (this.running) throw new Error('SimKernel.run() is already running');
    const { until, maxEvents = 50_000_000, signal } = options;
    if (until !== undefined && !(until >= this.current)) throw new SchedulingInPastError(until, this.current, 'run until');
    this.running = true;
    let events = 0;
    let stoppedBy: RunResult['stoppedBy'] = 'empty';
    try {
      // Processes spawned before run() and tracked work start first.
      await this.settle();
      for (;;) {
        if (signal?.aborted) {
          stoppedBy = 'aborted';
          break;
        }
        const next = this.agenda.peek();
        if (!next || (until !== undefined && next.time > until)) {
          if (until === undefined) {
            stoppedBy = 'empty';
            break;
          }
          // Paced: live time runs on to `until`; an outside caller may still schedule something before it.
          if (this.pacing && !(await this.waitForWallClock(until))) continue;
          stoppedBy = 'until';
          if (until > this.current) this.current = until;
          break;
        }
        if (this.pacing && !(await this.waitForWallClock(next.time))) continue;
        if (++events > maxEvents) throw new SimulationOverflowError(maxEvents, this.current, next.label);
        // Re-read the top: in paced mode an outside caller may have added an entry while we waited.
        const entry = this.agenda.pop() as Scheduled;
        this.fire(entry);
        if (entry.settle) await this.settle();
      }
    } finally {
      this.running = false;
    }
    return {
      now: this.current,
      events: Math.min(events, maxEvents),
      stoppedBy,
      pendingProcesses: [...this.processes].map((p) => p.name),
    };
  }
}
