// A stream of rows with a watermark. Producers emit rows (never older than the current watermark) and
// then advance the watermark; consumers see rows first and the watermark after, which is the only
// trigger for windowed output ("watermark progress is the only trigger", spec §3.3).
import type { AnyRow } from './row.js';

export interface StreamConsumer {
  onRow(row: AnyRow, from: Stream): void;
  onWatermark(from: Stream): void;
  /** One input partition's watermark moved (only sources report this; used by PARTITION BY steps). */
  onPartitionWatermark?(from: Stream, partitionId: number, wm: number): void;
}

export class Stream {
  readonly consumers: StreamConsumer[] = [];
  wm = -Infinity;
  constructor(readonly name: string) {}
  emit(row: AnyRow): void {
    const cs = this.consumers;
    for (let i = 0; i < cs.length; i++) cs[i].onRow(row, this);
  }
  advance(wm: number): void {
    if (wm <= this.wm) return;
    this.wm = wm;
    for (const c of this.consumers) c.onWatermark(this);
  }
}

/** UNION: rows pass through; the watermark is the minimum of the parts. */
export class UnionStream extends Stream implements StreamConsumer {
  constructor(
    name: string,
    private readonly parts: Stream[],
  ) {
    super(name);
    for (const p of parts) p.consumers.push(this);
  }
  onRow(row: AnyRow): void {
    this.emit(row);
  }
  onWatermark(): void {
    let w = Infinity;
    for (const p of this.parts) if (p.wm < w) w = p.wm;
    this.advance(w);
  }
}

/** An operator inside one step: rows in, rows out to `next`, watermark-driven emission. */
export interface Operator {
  push(row: AnyRow): void;
  advance(wm: number): void;
  /** The earliest timestamp this operator may still emit (Infinity when none is pending). */
  pendingFloor?(): number;
  /** Number of open groups / buffered events (for the memory part of the SU model). */
  stateSize?(): number;
  /** PARTITION BY PartitionId: one partition's watermark moved; emit what is final for that partition. */
  advancePartition?(partitionId: number, wm: number): void;
}
