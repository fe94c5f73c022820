// Rows flowing between operators. A Row is one event (or one projected output); a JoinRow holds one
// Row per FROM/JOIN alias; an AggRow is a finished group of a windowed aggregate.
import type { Value } from './values.js';

/** Event Hub input columns of one event (spec §4.1). */
export interface EventMeta {
  enqueuedUs: number;
  processedUs: number;
  partitionId: number;
  offset?: string;
  sequenceNumber?: number;
  properties?: Record<string, unknown>;
  /** Where the event came from (file:line) so a runtime error can name it. */
  origin?: string;
}

export class Row {
  constructor(
    /** Field values. Raw JSON (converted on access) when `raw`, ASA values otherwise. */
    public rec: Record<string, unknown>,
    /** System.Timestamp in microseconds since the Unix epoch. */
    public ts: number,
    public pid: number,
    public raw: boolean,
    public meta: EventMeta | null,
  ) {}
}

export class JoinRow {
  constructor(
    public parts: (Row | null)[],
    public ts: number,
    public pid: number,
  ) {}
}

export interface AggRow {
  keys: Value[];
  aggs: Value[];
  ts: number;
  pid: number;
}

export type AnyRow = Row | JoinRow;
