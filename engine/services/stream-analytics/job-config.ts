// The job definition: what an ARM `Microsoft.StreamAnalytics/streamingjobs` resource says, plus the
// emulator's switches for every UNVERIFIED behaviour (spec §8, §10). Defaults = the customer360 job.
import type { CompatLevel } from './query/compile-expr.js';

export interface EmulatorFlags {
  /** Doc conflict spec §3.2: adjust out-of-order events to maxEventTime−O or arrival−O. */
  oooReference: 'maxEventTime' | 'arrivalTime';
  /** Window alignment epoch for sizes that do not divide 24 h: .NET tick 0 (0001-01-01) or the Unix epoch. */
  windowEpoch: 'dotnet' | 'unix';
  /** At end of input, push every watermark to +∞ so open windows are emitted. */
  flushAtEnd: boolean;
  /** CAST failure: stop the job (documented) or yield NULL and count a runtime error. */
  castFailure: 'stopJob' | 'nullAndCount';
  /** CL 1.0: convert datetime-looking JSON strings to datetime at ingress. */
  cl10DatetimeAutoConvert: boolean;
  /** Time that fills {date}/{time} in Blob paths: the row's System.Timestamp (current docs) or the processing clock. */
  pathTime: 'systemTimestamp' | 'wallClock';
  /** Write a header row at the top of each new CSV blob. */
  csvHeader: boolean;
  /** CASE without ELSE: compile error (strict) or NULL (lenient, the docs' own examples). */
  strictCase: boolean;
  /** Early-arrival limit in seconds (fixed at 300 by the service). */
  earlyArrivalSeconds: number;
}

export const DEFAULT_FLAGS: EmulatorFlags = {
  oooReference: 'maxEventTime',
  windowEpoch: 'dotnet',
  flushAtEnd: true,
  castFailure: 'stopJob',
  cl10DatetimeAutoConvert: true,
  pathTime: 'systemTimestamp',
  csvHeader: true,
  strictCase: false,
  earlyArrivalSeconds: 300,
};

export interface StreamInputDefinition {
  kind: 'stream';
  /** Event Hub partition ids known up front (idle partitions hold the merged watermark back by L). */
  partitionIds?: number[];
  serialization?: 'Json';
}

export interface ReferenceInputDefinition {
  kind: 'reference';
}

export type InputDefinition = StreamInputDefinition | ReferenceInputDefinition;

export interface BlobOutputDefinition {
  kind: 'blob';
  container: string;
  pathPattern: string;
  dateFormat: string;
  timeFormat: string;
  format: 'Csv' | 'Json';
  /** CSV field delimiter. */
  delimiter: string;
  /** Minimum rows per batch (default 2,000) and maximum wait per batch (default 60 s). */
  minRows: number;
  maxWaitSeconds: number;
}

/** memory: rows are kept (job.outputRows); listener: rows only reach job.onOutput listeners. */
export interface MemoryOutputDefinition {
  kind: 'memory' | 'listener';
}

export type OutputDefinition = BlobOutputDefinition | MemoryOutputDefinition;

export interface JobDefinition {
  name: string;
  query: string;
  /** File the query came from, for error locations. */
  queryFile?: string;
  compatibilityLevel: CompatLevel;
  eventsOutOfOrderPolicy: 'Adjust' | 'Drop';
  eventsOutOfOrderMaxDelayInSeconds: number;
  /** −1 = infinite. */
  eventsLateArrivalMaxDelayInSeconds: number;
  outputErrorPolicy: 'Stop' | 'Drop';
  dataLocale: string;
  /** JobStartTime (= Now) or CustomTime: rows stamped before outputStartTime are not written (spec §3.8). */
  outputStartMode: 'JobStartTime' | 'CustomTime' | 'LastOutputEventTime';
  /** ISO-8601, with CustomTime. */
  outputStartTime?: string;
  sku: { model: 'V1' | 'V2'; streamingUnits: number };
  inputs: Record<string, InputDefinition>;
  outputs: Record<string, OutputDefinition>;
  emulator: EmulatorFlags;
}

export function defaultJobDefinition(query: string, overrides: Partial<JobDefinition> = {}): JobDefinition {
  return {
    name: 'job',
    query,
    compatibilityLevel: '1.0',
    eventsOutOfOrderPolicy: 'Adjust',
    eventsOutOfOrderMaxDelayInSeconds: 0,
    eventsLateArrivalMaxDelayInSeconds: 5,
    outputErrorPolicy: 'Stop',
    dataLocale: 'en-US',
    outputStartMode: 'JobStartTime',
    sku: { model: 'V1', streamingUnits: 1 },
    inputs: {},
    outputs: {},
    ...overrides,
    emulator: { ...DEFAULT_FLAGS, ...(overrides.emulator ?? {}) },
  };
}
