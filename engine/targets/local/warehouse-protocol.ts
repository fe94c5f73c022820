// The messages between warehouse-thread.ts (the simulation's thread) and warehouse-serve.ts (the
// warehouse's thread).
import type { ErrorLocation, SkippedRecord } from '../../core/errors.js';
import type { EtlOutput } from './warehouse-job.js';

export type WarehouseRequest =
  | { op: 'append'; id: number; blob: string; bytes: Uint8Array }
  | { op: 'etl'; id: number }
  | { op: 'write'; id: number; values: (number | string | null)[] }
  | { op: 'scores'; id: number; output: number; labels: Int32Array; probabilities: Float64Array }
  | { op: 'close'; id: number };

export interface SerializedError {
  name: string;
  message: string;
  location?: ErrorLocation;
}

/** The answer to request `id` (0: the warehouse opened, or why not). */
export interface WarehouseReply {
  id: number;
  etl?: EtlOutput;
  error?: SerializedError;
  /** With a failed ETL: the lines it skipped all the same. */
  skips?: { skipped: SkippedRecord[]; skippedCount: number };
}
