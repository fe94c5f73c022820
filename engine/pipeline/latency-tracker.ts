// End-to-end latency: from an event's enqueue in the hub to the moment its customer's enriched
// profile is written. Events are tracked in groups that share an enqueued time (a batch is enqueued
// at one instant), so memory grows with the number of batches in flight, not with events.
//
// An event moves through three stages: fed to the stream job → in the object store (the job's output
// watermark passed its enqueued time) → taken by a slice's ETL (captured when the ETL starts) → its
// profile written (the slice's scoring wrote the enriched profiles). If a slice fails, what it captured
// goes back to wait for the next slice.
import { LogHistogram } from './log-histogram.js';

interface Group {
  enqueued: number;
  count: number;
}

export class LatencyTracker {
  /** Fed to the stream job, not yet in the store; kept sorted by enqueued time. */
  private fed: Group[] = [];
  /** In the store, waiting for a slice. */
  private stored: Group[] = [];
  private readonly captured = new Map<number, Group[]>();
  readonly overall: LogHistogram;

  constructor(relativeAccuracy = 0.01) {
    this.overall = new LogHistogram({ relativeAccuracy });
  }

  fedToStream(enqueued: number, count: number): void {
    const last = this.fed[this.fed.length - 1];
    if (last && last.enqueued === enqueued) {
      last.count += count;
      return;
    }
    // Partitions are read in turn, so enqueued times arrive almost sorted: insert from the back.
    let i = this.fed.length;
    while (i > 0 && this.fed[i - 1].enqueued > enqueued) i--;
    if (i > 0 && this.fed[i - 1].enqueued === enqueued) this.fed[i - 1].count += count;
    else this.fed.splice(i, 0, { enqueued, count });
  }

  /** The stream job's output watermark moved: groups at or before it are now in the store. */
  outputWatermark(watermark: number): void {
    let n = 0;
    while (n < this.fed.length && this.fed[n].enqueued <= watermark) n++;
    if (n === 0) return;
    for (const g of this.fed.slice(0, n)) this.stored.push(g);
    this.fed = this.fed.slice(n);
  }

  /** A slice's ETL starts: it reads everything in the store now. Returns how many events it takes. */
  capture(slice: number): number {
    const taken = this.stored;
    this.stored = [];
    const mine = this.captured.get(slice) ?? [];
    mine.push(...taken);
    this.captured.set(slice, mine);
    return taken.reduce((a, g) => a + g.count, 0);
  }

  /** The slice wrote its profiles at `at`: record the latency of every event it took. */
  profilesWritten(slice: number, at: number): LogHistogram {
    const histogram = new LogHistogram({ relativeAccuracy: this.overall.relativeAccuracy });
    for (const g of this.captured.get(slice) ?? []) histogram.add(Math.max(0, at - g.enqueued), g.count);
    this.captured.delete(slice);
    this.overall.merge(histogram);
    return histogram;
  }

  /** The slice failed: its events wait for the next one. */
  release(slice: number): void {
    const mine = this.captured.get(slice);
    if (!mine) return;
    this.captured.delete(slice);
    this.stored = [...mine, ...this.stored].sort((a, b) => a.enqueued - b.enqueued);
  }

  /** Events fed to the job whose profile was never written by the end of the run. */
  notProfiled(): number {
    let n = 0;
    for (const g of this.fed) n += g.count;
    for (const g of this.stored) n += g.count;
    for (const groups of this.captured.values()) for (const g of groups) n += g.count;
    return n;
  }
}
