// Throughput units (spec §8.2). Each limit is a running total over a short window that drains at
// the purchased rate — "a short window running total compared with the purchased TU limit", as the
// service team describes it. A request is admitted while the total is still under the window's
// allowance (so one large batch after a quiet spell goes through, like on the real service), and
// is refused with ServerBusy once the total is over it. Egress is never refused, only paced.
import type { EpochMs } from '../../../ports/clock.js';

export const MiB = 1024 * 1024;
export const INGRESS_BYTES_PER_TU = MiB;
export const INGRESS_EVENTS_PER_TU = 1000;
export const EGRESS_BYTES_PER_TU = 2 * MiB;
export const EGRESS_EVENTS_PER_TU = 4096;

/** A running total that drains at `perSecond` and allows `perSecond × windowMs` before it is full. */
export class RunningTotal {
  private level = 0;
  private last: EpochMs | undefined;
  readonly allowance: number;
  constructor(
    readonly perSecond: number,
    readonly windowMs: number,
  ) {
    this.allowance = (perSecond * windowMs) / 1000;
  }
  private drain(now: EpochMs): void {
    if (this.last !== undefined && now > this.last) this.level = Math.max(0, this.level - (this.perSecond * (now - this.last)) / 1000);
    if (this.last === undefined || now > this.last) this.last = now;
  }
  hasRoom(now: EpochMs): boolean {
    this.drain(now);
    return this.level < this.allowance;
  }
  /** How much can be taken now without going over the allowance. */
  available(now: EpochMs): number {
    this.drain(now);
    return Math.max(0, this.allowance - this.level);
  }
  add(amount: number, now: EpochMs): void {
    this.drain(now);
    this.level += amount;
  }
  /** When the total will have drained back under the allowance by `amount`. */
  timeUntilAvailable(amount: number, now: EpochMs): number {
    this.drain(now);
    const excess = this.level + amount - this.allowance;
    return excess <= 0 ? 0 : Math.ceil((excess * 1000) / this.perSecond);
  }
}

export interface ThroughputOptions {
  throughputUnits: number;
  /** Length of the running-total window, ms (default 1000). */
  windowMs?: number;
}

export class ThroughputGate {
  private readonly ingressEvents: RunningTotal;
  private readonly ingressBytes: RunningTotal;
  private readonly egressEvents: RunningTotal;
  private readonly egressBytes: RunningTotal;
  constructor(readonly options: ThroughputOptions) {
    const tu = options.throughputUnits;
    const w = options.windowMs ?? 1000;
    this.ingressEvents = new RunningTotal(tu * INGRESS_EVENTS_PER_TU, w);
    this.ingressBytes = new RunningTotal(tu * INGRESS_BYTES_PER_TU, w);
    this.egressEvents = new RunningTotal(tu * EGRESS_EVENTS_PER_TU, w);
    this.egressBytes = new RunningTotal(tu * EGRESS_BYTES_PER_TU, w);
  }

  /** Admits an ingress request of `events`/`bytes` (and counts it), or refuses it. */
  admitIngress(events: number, bytes: number, now: EpochMs): boolean {
    if (!this.ingressEvents.hasRoom(now) || !this.ingressBytes.hasRoom(now)) return false;
    this.ingressEvents.add(events, now);
    this.ingressBytes.add(bytes, now);
    return true;
  }

  /** Milliseconds until an ingress request would be admitted again (a hint; the SDKs ignore it). */
  ingressRetryAfterMs(now: EpochMs): number {
    return Math.max(this.ingressEvents.timeUntilAvailable(0, now), this.ingressBytes.timeUntilAvailable(0, now)) + 1;
  }

  /** How many events (of the given sizes, in order) may leave now; takes them from the egress allowance. */
  takeEgress(sizes: readonly number[], now: EpochMs): number {
    let events = Math.floor(this.egressEvents.available(now));
    let bytes = this.egressBytes.available(now);
    let n = 0;
    for (const s of sizes) {
      if (events < 1 || (s > bytes && n > 0) || (s > bytes && bytes < this.egressBytes.allowance)) break;
      events--;
      bytes -= s;
      n++;
    }
    if (n) {
      this.egressEvents.add(n, now);
      let total = 0;
      for (let i = 0; i < n; i++) total += sizes[i];
      this.egressBytes.add(total, now);
    }
    return n;
  }

  /** Milliseconds until at least one more event may leave. */
  egressRetryAfterMs(now: EpochMs): number {
    return Math.max(1, this.egressEvents.timeUntilAvailable(1, now), this.egressBytes.timeUntilAvailable(1, now));
  }
}
