// Test helpers: build a job from a query, push events (time as seconds after a base instant), collect JSON rows.
import { StreamAnalyticsJob, defaultJobDefinition, rowToJson, type JobDefinition } from '../../engine/services/stream-analytics/index.js';

export const BASE = Date.parse('2024-01-01T12:00:00Z');

export interface TestEvent {
  /** Arrival (enqueued) time, seconds after BASE. */
  at: number;
  partition?: number;
  body: Record<string, unknown> | string;
  input?: string;
}

export function makeJob(query: string, overrides: Partial<JobDefinition> = {}, inputs: string[] = ['input'], partitions?: number[]) {
  const def = defaultJobDefinition(query, {
    inputs: Object.fromEntries(inputs.map((n) => [n, { kind: 'stream' as const, ...(partitions ? { partitionIds: partitions } : {}) }])),
    ...overrides,
  });
  return new StreamAnalyticsJob(def);
}

export function pushAll(job: StreamAnalyticsJob, events: TestEvent[], defaultInput = 'input'): void {
  for (const e of events)
    job.push(e.input ?? defaultInput, { partitionId: e.partition ?? 0, enqueuedTime: BASE + e.at * 1000, body: e.body });
}

/** Runs to the end and returns the JSON rows of each output. */
export function run(
  query: string,
  events: TestEvent[],
  overrides: Partial<JobDefinition> = {},
  inputs: string[] = ['input'],
  partitions?: number[],
): { out: Record<string, Record<string, unknown>[]>; job: StreamAnalyticsJob } {
  const job = makeJob(query, overrides, inputs, partitions);
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const a of job.outputAliases) out[a] = [];
  job.onOutput((alias, row) => (out[alias] ??= []).push(rowToJson(row)));
  pushAll(job, events, inputs[0]);
  job.end();
  return { out, job };
}

/** Time of day part of an output datetime, e.g. "12:00:05". */
export const hms = (v: unknown) => String(v).slice(11, 19);
