// Ports for the processing legs: a streaming job, a scorer, and the slice scheduler of Data Factory.
import type { EpochMs } from './clock.js';

export interface StreamJob {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Azure-named metrics (InputEvents, OutputEvents, …) as running totals. */
  metrics(): Record<string, number>;
}

export interface ScoreResult {
  labels: Int32Array;
  /** Row-major probabilities, four per row (categories T0..T3). */
  probabilities: Float32Array;
}

export interface Scorer {
  /** Scores rows of raw profile columns (the model's recorded feature order applies). */
  score(rows: readonly Record<string, number | string>[]): Promise<ScoreResult>;
}

export type SliceState = 'Waiting' | 'InProgress' | 'Ready' | 'Failed';

export interface SliceRecord {
  start: EpochMs;
  end: EpochMs;
  state: SliceState;
  attempts: number;
  finishedAt?: EpochMs;
  deadlineMet?: boolean;
}

export interface SliceScheduler {
  slices(): readonly SliceRecord[];
}
