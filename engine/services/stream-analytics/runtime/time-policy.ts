// Event time assignment and the per-partition time policies (spec §3.1-§3.3): early events dropped,
// late events adjusted or dropped, out-of-order events adjusted or dropped (or re-sorted inside the
// out-of-order tolerance), per-partition watermarks merged by minimum for the step.
import { DateTime, parseDateTime, type Value } from './values.js';
import type { Row } from './row.js';
import { Stream } from './stream.js';

export interface TimePolicyConfig {
  /** eventsLateArrivalMaxDelayInSeconds in µs; negative = infinite (never late, idle partitions never progress). */
  lateUs: number;
  /** eventsOutOfOrderMaxDelayInSeconds in µs. */
  outOfOrderUs: number;
  /** eventsOutOfOrderPolicy: Adjust (true) or Drop (false); governs late and out-of-order events. */
  adjust: boolean;
  /** Early-arrival limit: fixed at 5 minutes by the service. */
  earlyUs: number;
  /** Doc conflict (spec §3.2): adjust out-of-order events to maxEventTime−O (default) or to arrival−O. */
  oooReference: 'maxEventTime' | 'arrivalTime';
}

export interface TimeCounters {
  LateInputEvents: number;
  EarlyInputEvents: number;
  OutOfOrderEvents: number;
  InvalidInputTimeStamps: number;
}

class PartitionClock {
  constructor(readonly id: number) {}
  maxTs = -Infinity;
  /** Last watermark reported to partition-aware consumers. */
  reported = -Infinity;
  /** Events inside the out-of-order tolerance wait here, sorted by time (stable). */
  buffer: Row[] = [];
}

/** One reference of an input in FROM/JOIN: its own TIMESTAMP BY and its own partition clocks. */
export class SourceStream extends Stream {
  /** Partition clocks by id (ids are small integers), plus the list of those in use. */
  private readonly byId: (PartitionClock | undefined)[] = [];
  private readonly partitions: PartitionClock[] = [];
  private now = -Infinity;

  constructor(
    name: string,
    private readonly policy: TimePolicyConfig,
    private readonly counters: TimeCounters,
    /** TIMESTAMP BY expression; absent ⇒ arrival time (EventEnqueuedUtcTime) and policies are disregarded. */
    private readonly timestampBy: ((row: Row) => Value) | undefined,
    declaredPartitions: number[],
  ) {
    super(name);
    for (const p of declaredPartitions) this.clock(p);
  }

  private clock(pid: number): PartitionClock {
    let c = this.byId[pid];
    if (!c) {
      c = new PartitionClock(pid);
      this.byId[pid] = c;
      this.partitions.push(c);
    }
    return c;
  }

  /** One event in arrival order. Returns false when the event was dropped by a time policy. */
  onEvent(row: Row): boolean {
    const meta = row.meta!;
    const arrival = meta.enqueuedUs;
    if (arrival > this.now) this.now = arrival;
    const p = this.clock(row.pid);
    const pol = this.policy;
    let t: number;
    if (this.timestampBy) {
      const v = this.timestampBy(row);
      const dt = v instanceof DateTime ? v : typeof v === 'string' ? parseDateTime(v) : null;
      if (!dt) {
        this.counters.InvalidInputTimeStamps++;
        return false;
      }
      t = dt.us;
      if (t > arrival + pol.earlyUs) {
        this.counters.EarlyInputEvents++;
        return false;
      }
      if (pol.lateUs >= 0 && t < arrival - pol.lateUs) {
        this.counters.LateInputEvents++;
        if (!pol.adjust) return false;
        t = arrival - pol.lateUs;
      }
      const floor = p.maxTs - pol.outOfOrderUs;
      if (t < floor) {
        this.counters.OutOfOrderEvents++;
        if (!pol.adjust) return false;
        t = pol.oooReference === 'arrivalTime' ? Math.max(floor, arrival - pol.outOfOrderUs) : floor;
      }
    } else {
      // Arrival time is monotonic per partition; policies do not apply (spec §3.1).
      t = arrival < p.maxTs ? p.maxTs : arrival;
    }
    row.ts = t;
    if (t > p.maxTs) p.maxTs = t;
    if (this.timestampBy && pol.outOfOrderUs > 0) {
      insertSorted(p.buffer, row);
      this.release(p);
    } else this.emit(row);
    this.updateWatermark();
    return true;
  }

  private partitionWatermark(p: PartitionClock): number {
    const ooo = this.timestampBy ? this.policy.outOfOrderUs : 0;
    let w = p.maxTs - ooo;
    // Idle partitions progress with the arrival clock minus the late-arrival tolerance (spec §3.3).
    if (this.policy.lateUs >= 0) {
      const idle = this.now - this.policy.lateUs;
      if (idle > w) w = idle;
    }
    return w;
  }

  private release(p: PartitionClock): void {
    const w = this.partitionWatermark(p);
    let n = 0;
    while (n < p.buffer.length && p.buffer[n].ts <= w) n++;
    if (n === 0) return;
    const out = p.buffer.splice(0, n);
    for (const r of out) this.emit(r);
  }

  /** The arrival clock moved without events (virtual time advanced): idle partitions progress. */
  advanceClock(nowUs: number): void {
    if (nowUs > this.now) this.now = nowUs;
    if (this.timestampBy && this.policy.outOfOrderUs > 0) for (const p of this.partitions) this.release(p);
    this.updateWatermark();
  }

  /** Set when a consumer wants per-partition watermarks (a PARTITION BY step). */
  partitionAware = false;

  private updateWatermark(): void {
    let w = Infinity;
    for (const p of this.partitions) {
      const pw = this.partitionWatermark(p);
      if (pw < w) w = pw;
      if (this.partitionAware && pw > p.reported) {
        p.reported = pw;
        for (const c of this.consumers) c.onPartitionWatermark?.(this, p.id, pw);
      }
    }
    if (w !== Infinity) this.advance(w);
  }

  /** End of input: everything buffered is released and the watermark goes to +∞. */
  finish(): void {
    for (const p of this.partitions) {
      const out = p.buffer.splice(0);
      for (const r of out) this.emit(r);
    }
    this.advance(Infinity);
  }

  partitionCount(): number {
    return this.partitions.length;
  }

  bufferedEvents(): number {
    let n = 0;
    for (const p of this.partitions) n += p.buffer.length;
    return n;
  }
}

function insertSorted(buf: Row[], row: Row): void {
  let i = buf.length;
  while (i > 0 && buf[i - 1].ts > row.ts) i--;
  buf.splice(i, 0, row);
}
