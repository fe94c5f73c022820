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

/** One event of a log, as read (made on demand from the log's columns). */
export class LogEntry {
  constructor(
    readonly sequenceNumber: number,
    readonly offset: number,
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

/** A growable column of numbers (typed, so the garbage collector never walks it). */
class NumberColumn {
  private data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  get(i: number): number {
    return this.data[i];
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  /** Drops the first `n` values. */
  shift(n: number): void {
    this.data.copyWithin(0, n, this.length);
    this.length -= n;
  }
}

/**
 * The log is kept as columns — offsets, enqueued times and byte spans in typed arrays, the shared
 * buffers, partition keys and decoded fields in plain arrays — rather than one object per event: a hub
 * retains every event for its retention period (8 million in stress.yaml), and an object per event
 * made the garbage collector walk them all again and again. `LogEntry` objects are made when events
 * are read or appended, and are not kept.
 */
export class PartitionLog {
  private readonly offsets = new NumberColumn();
  private readonly times = new NumberColumn();
  private readonly starts = new NumberColumn();
  private readonly ends = new NumberColumn();
  private chunks: Buffer[] = [];
  private keys: (string | undefined)[] = [];
  private fields: (EventFields | undefined)[] = [];
  /** Index of the first retained event (the ones before it are dropped, compacted lazily). */
  private head = 0;
  /** Sequence number of the event at index 0. */
  private firstSequence = 0;
  private nextSequence = 0;
  private nextOffset = 0;
  private lastEnqueued = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly hub: string,
    readonly partitionId: string,
  ) {}

  private get length(): number {
    return this.chunks.length;
  }

  private entryAt(i: number): LogEntry {
    return new LogEntry(this.firstSequence + i, this.offsets.get(i), this.times.get(i), this.keys[i], this.chunks[i], this.starts.get(i), this.ends.get(i), this.fields[i]);
  }

  private push(enqueuedTime: EpochMs, partitionKey: string | undefined, chunk: Buffer, start: number, end: number, fields: EventFields | undefined): void {
    this.offsets.push(this.nextOffset);
    this.times.push(enqueuedTime);
    this.starts.push(start);
    this.ends.push(end);
    this.chunks.push(chunk);
    this.keys.push(partitionKey);
    this.fields.push(fields);
    this.nextSequence++;
    this.nextOffset += end - start;
  }

  get beginSequenceNumber(): number {
    return this.head < this.length ? this.firstSequence + this.head : this.nextSequence;
  }
  get lastSequenceNumber(): number {
    return this.nextSequence - 1;
  }
  get size(): number {
    return this.length - this.head;
  }
  get last(): LogEntry | undefined {
    return this.size ? this.entryAt(this.length - 1) : undefined;
  }
  get endSequenceNumber(): number {
    return this.nextSequence;
  }

  /** Appends events at `now`; returns the sequence number of the first (read them back with readFrom). */
  append(events: readonly AppendInput[], now: EpochMs): number {
    const enqueuedTime = Math.max(now, this.lastEnqueued);
    this.lastEnqueued = enqueuedTime;
    const first = this.nextSequence;
    for (const e of events) {
      const span = 'chunk' in e;
      const chunk = span ? e.chunk : e.bytes;
      this.push(enqueuedTime, e.partitionKey, chunk, span ? e.start : 0, span ? e.end : e.bytes.length, e.fields);
    }
    if (events.length) for (const l of this.listeners) l();
    return first;
  }

  /** Re-inserts an event recovered from disk (sequence and time as recorded). */
  restore(entry: { sequenceNumber: number; enqueuedTime: EpochMs; partitionKey?: string; bytes: Buffer }): void {
    if (entry.sequenceNumber !== this.nextSequence) throw new Error(`partition ${this.hub}/${this.partitionId}: expected sequence ${this.nextSequence} in the log file, found ${entry.sequenceNumber}`);
    if (this.length === 0) this.firstSequence = entry.sequenceNumber;
    this.push(entry.enqueuedTime, entry.partitionKey, entry.bytes, 0, entry.bytes.length, undefined);
    this.lastEnqueued = Math.max(this.lastEnqueued, entry.enqueuedTime);
  }

  /** Drops events enqueued before `cutoff`. */
  dropBefore(cutoff: EpochMs): number {
    let dropped = 0;
    while (this.head < this.length && this.times.get(this.head) < cutoff) {
      this.head++;
      dropped++;
    }
    if (this.head > 1024 && this.head * 2 > this.length) {
      const n = this.head;
      for (const column of [this.offsets, this.times, this.starts, this.ends]) column.shift(n);
      this.chunks = this.chunks.slice(n);
      this.keys = this.keys.slice(n);
      this.fields = this.fields.slice(n);
      this.firstSequence += n;
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
        const i = this.lowerBound(this.offsets, position.offset, position.inclusive);
        return this.sequenceAt(i);
      }
      case 'enqueuedTime': {
        const i = this.lowerBound(this.times, position.at, position.inclusive);
        return this.sequenceAt(i);
      }
    }
  }

  private sequenceAt(index: number): number {
    return index < this.length ? this.firstSequence + index : this.nextSequence;
  }

  /** First index in [head, length) whose value is ≥ `value` (> when not inclusive); the column is monotonic. */
  private lowerBound(column: NumberColumn, value: number, inclusive: boolean): number {
    let lo = this.head;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = column.get(mid);
      if (inclusive ? v >= value : v > value) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Up to `max` entries starting at sequence number `from` (clamped to what is retained). */
  readFrom(from: number, max: number): LogEntry[] {
    const begin = this.beginSequenceNumber;
    const start = Math.max(from, begin);
    const index = this.head + (start - begin);
    const end = Math.min(this.length, index + Math.max(0, max));
    const out: LogEntry[] = new Array(Math.max(0, end - index));
    for (let i = index; i < end; i++) out[i - index] = this.entryAt(i);
    return out;
  }

  /** Calls `listener` after each append; returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
