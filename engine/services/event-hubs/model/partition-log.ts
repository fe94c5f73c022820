// One partition: an append-only log of events. Sequence numbers count from 0; offsets are the
// cumulative size of the stored event bytes (monotonic, as the service's are); enqueued times come
// from the engine clock and never go backwards. Retention drops whole events from the front.
import type { EpochMs } from '../../../ports/clock.js';
import type { EventFields } from './event-bytes.js';

/**
 * What a producer hands over: the event's AMQP bytes, either as its own Buffer or as a span of a
 * larger one (a whole REST request is encoded into one buffer; spans avoid a Buffer object per event).
 */
export type EventBytes = { bytes: Buffer } | { chunk: Buffer; start: number; end: number };
export type AppendInput = EventBytes & { partitionKey?: string; fields?: EventFields };

export function sizeOf(e: EventBytes): number {
  return 'chunk' in e ? e.end - e.start : e.bytes.length;
}

export class LogEntry {
  constructor(
    readonly sequenceNumber: number,
    public offset: number,
    readonly enqueuedTime: EpochMs,
    readonly partitionKey: string | undefined,
    private readonly chunk: Buffer,
    private readonly start: number,
    private readonly end: number,
    /** The decoded form, kept when the event was published in-process (saves decoding on read). */
    readonly fields?: EventFields,
  ) {}
  /** The event as its producer encoded it (AMQP message bytes); a view, made on demand. */
  get bytes(): Buffer {
    return this.start === 0 && this.end === this.chunk.length ? this.chunk : this.chunk.subarray(this.start, this.end);
  }
  get size(): number {
    return this.end - this.start;
  }
}

export type LogPosition =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: number; inclusive: boolean }
  | { kind: 'sequence'; sequenceNumber: number; inclusive: boolean }
  | { kind: 'enqueuedTime'; at: EpochMs; inclusive: boolean };

export class PartitionLog {
  private entries: LogEntry[] = [];
  /** Index into `entries` of the first retained event (entries before it are garbage, compacted lazily). */
  private head = 0;
  private nextSequence = 0;
  private nextOffset = 0;
  private lastEnqueued = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly hub: string,
    readonly partitionId: string,
  ) {}

  get beginSequenceNumber(): number {
    return this.head < this.entries.length ? this.entries[this.head].sequenceNumber : this.nextSequence;
  }
  get lastSequenceNumber(): number {
    return this.nextSequence - 1;
  }
  get size(): number {
    return this.entries.length - this.head;
  }
  get last(): LogEntry | undefined {
    return this.size ? this.entries[this.entries.length - 1] : undefined;
  }
  get endSequenceNumber(): number {
    return this.nextSequence;
  }

  /** Appends events at `now`; returns the new entries. */
  append(events: readonly AppendInput[], now: EpochMs): LogEntry[] {
    const enqueuedTime = Math.max(now, this.lastEnqueued);
    this.lastEnqueued = enqueuedTime;
    const added: LogEntry[] = [];
    for (const e of events) {
      const span = 'chunk' in e;
      const chunk = span ? e.chunk : e.bytes;
      const start = span ? e.start : 0;
      const end = span ? e.end : e.bytes.length;
      const entry = new LogEntry(this.nextSequence++, this.nextOffset, enqueuedTime, e.partitionKey, chunk, start, end, e.fields);
      this.nextOffset += end - start;
      this.entries.push(entry);
      added.push(entry);
    }
    if (added.length) for (const l of this.listeners) l();
    return added;
  }

  /** Re-inserts an event recovered from disk (sequence and time as recorded). */
  restore(entry: { sequenceNumber: number; enqueuedTime: EpochMs; partitionKey?: string; bytes: Buffer }): void {
    if (entry.sequenceNumber !== this.nextSequence) throw new Error(`partition ${this.hub}/${this.partitionId}: expected sequence ${this.nextSequence} in the log file, found ${entry.sequenceNumber}`);
    this.entries.push(new LogEntry(entry.sequenceNumber, this.nextOffset, entry.enqueuedTime, entry.partitionKey, entry.bytes, 0, entry.bytes.length));
    this.nextSequence++;
    this.nextOffset += entry.bytes.length;
    this.lastEnqueued = Math.max(this.lastEnqueued, entry.enqueuedTime);
  }

  /** Drops events enqueued before `cutoff`. */
  dropBefore(cutoff: EpochMs): number {
    let dropped = 0;
    while (this.head < this.entries.length && this.entries[this.head].enqueuedTime < cutoff) {
      this.head++;
      dropped++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return dropped;
  }

  /** The sequence number of the first event at or after `position` (may equal endSequenceNumber). */
  resolve(position: LogPosition): number {
    switch (position.kind) {
      case 'earliest':
        return this.beginSequenceNumber;
      case 'latest':
        return this.nextSequence;
      case 'sequence': {
        const s = position.inclusive ? position.sequenceNumber : position.sequenceNumber + 1;
        return Math.max(s, this.beginSequenceNumber);
      }
      case 'offset': {
        // first event whose offset is > (or >=) the given one: events not on a boundary start at the next one
        const i = this.lowerBound((e) => (position.inclusive ? e.offset >= position.offset : e.offset > position.offset));
        return this.sequenceAt(i);
      }
      case 'enqueuedTime': {
        const i = this.lowerBound((e) => (position.inclusive ? e.enqueuedTime >= position.at : e.enqueuedTime > position.at));
        return this.sequenceAt(i);
      }
    }
  }

  private sequenceAt(index: number): number {
    return index < this.entries.length ? this.entries[index].sequenceNumber : this.nextSequence;
  }

  /** First index in [head, length) where pred holds (pred is monotonic over the log). */
  private lowerBound(pred: (e: LogEntry) => boolean): number {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.entries[mid])) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Up to `max` entries starting at sequence number `from` (clamped to what is retained). */
  readFrom(from: number, max: number): LogEntry[] {
    const begin = this.beginSequenceNumber;
    const start = Math.max(from, begin);
    const index = this.head + (start - begin);
    return this.entries.slice(index, Math.min(this.entries.length, index + Math.max(0, max)));
  }

  /** Calls `listener` after each append; returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
