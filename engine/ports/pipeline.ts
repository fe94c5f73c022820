// Ports of the pipeline run loop (engine/pipeline/run.ts). A target (engine/targets/local, later
// engine/targets/azure) supplies one implementation of each; the loop drives them on one Clock and
// records what happens. They are role-named and small on purpose: the loop must not know whether the
// stream job is our emulator or a real Azure job.
import type { Clock, EpochMs } from './clock.js';
import type { EventPublisher, EventSubscriber, ReceivedEvent } from './events.js';
import type { Scorer, SliceRecord } from './jobs.js';
import type { EnrichedProfileRow, ObjectStore, Warehouse } from './storage.js';

// ─── The scenario, as the loop needs it ──────────────────────────────────────────────────────────
// The scenario file's schema (zod) lives in engine/scenarios; this is the minimal typed shape the loop
// reads, in milliseconds and plain counts, so the loop does not depend on how the YAML spells units.

export type RetryMode = 'fixed' | 'exponential';

/** The sender's retry behaviour. `none` is what the original REST generator effectively had. */
export type SenderRetryPolicy =
  | { kind: 'none' }
  | {
      kind: 'sdk-default' | 'custom';
      /** Additional attempts after the first (the SDK's maxRetries). */
      maxRetries: number;
      /** The SDK's retryDelayInMs. */
      retryDelayMs: number;
      /** The SDK's maxRetryDelayInMs (caps exponential back-off). */
      maxRetryDelayMs: number;
      mode: RetryMode;
    };

export interface PipelineScenario {
  name: string;
  seed: number;
  /** Scenario time at which the first session starts (clock time). */
  start: EpochMs;
  generator: {
    customers: number;
    sessions: number;
    /** Time between session starts; the original starts one session per slice. */
    sessionIntervalMs: number;
  };
  sender: {
    batchSize: number;
    /** Pause after each batch request completes (the original sleeps 5 s between batches). */
    intervalMs: number;
    retry: SenderRetryPolicy;
    /** Parallel senders per session, sharing the session's events (default 1, as the original). */
    connections?: number;
  };
  eventHubs: { tier: string; throughputUnits: number; partitions: number; retentionMs?: number };
  streamAnalytics: { streamingUnits: number };
  dataFactory: {
    sliceWidthMs: number;
    /** Number of slices to run; default: enough to cover every session. */
    slices?: number;
    retries: number;
    concurrency: number;
    etlWorkerNodes?: number;
  };
  /** Optional hard stop: the run ends here even if work is left (it is then reported in flight). */
  endAt?: EpochMs;
}

// ─── Generator sessions ─────────────────────────────────────────────────────────────────────────

/** One browsing event as the generator sends it. */
export interface SessionEvent {
  customerId: number;
  /** The message body, exactly as sent (JSON text). */
  body: string;
  /** UTF-8 bytes of `body`, when the source knows them (saves the sender measuring every event). */
  bytes?: number;
}

export interface EventSource {
  /** The events of one session, in send order. Each session is reproducible on its own (seeded per session). */
  session(index: number): Iterable<SessionEvent>;
}

// ─── Stream job ─────────────────────────────────────────────────────────────────────────────────

/** Azure Monitor names of the Stream Analytics job metrics the loop records. */
export type StreamMetricName =
  | 'InputEvents'
  | 'InputEventBytes'
  | 'OutputEvents'
  | 'InputDeserializationErrors'
  | 'LateInputEvents'
  | 'EarlyInputEvents'
  | 'OutOfOrderEvents'
  | 'RuntimeErrors'
  | 'DroppedOrAdjustedEvents';

export interface StreamProgress {
  /**
   * Every event fed so far whose enqueued time is ≤ this is now in the output store (its window was
   * closed and flushed). The loop uses it to time end-to-end latency; -Infinity if nothing yet.
   */
  outputWatermark: EpochMs;
  /** Event-time watermark lag of the job right now (Azure's WatermarkDelay), ms. */
  watermarkDelayMs: number;
  /** Share of the job's SU capacity used in the last step, 0..1 (Azure's SU % utilization / 100). */
  utilization: number;
}

/**
 * A streaming job the loop feeds. The loop reads from the hub through the EventSubscriber and hands
 * the job what it can take (its SU capacity), so the hub backlog is visible to the loop.
 */
export interface StreamStage {
  /** How many input events and bytes the job can take in during [from, to) — its SU capacity model. */
  capacity(from: EpochMs, to: EpochMs): { events: number; bytes: number };
  /**
   * Feeds events (arrival order) and lets the job's time reach `now`; output goes to the object store.
   * `caughtUp` says whether the job has now read everything the hub holds: only then may its arrival
   * clock jump to `now` (idle input); a job behind its backlog only knows the enqueued times it has read.
   */
  process(events: readonly ReceivedEvent[], now: EpochMs, context: { caughtUp: boolean }): Promise<StreamProgress>;
  /** End of input: closes open windows and flushes output. */
  flush(now: EpochMs): Promise<StreamProgress>;
  /** Running totals of the job's metrics (Azure names). */
  metrics(): Partial<Record<StreamMetricName, number>>;
}

// ─── Slices: ETL then scoring ───────────────────────────────────────────────────────────────────

export interface SliceWindow {
  index: number;
  start: EpochMs;
  end: EpochMs;
}

/** One customer profile with engineered features (the Customer_Profile columns; customerID included). */
export type ProfileRow = Record<string, number | string>;

/**
 * The ETL activity: builds customer profiles from what the stream job wrote to the object store so far
 * and the warehouse's reference tables. The as-of date of the features is the data's (the generator's
 * history ends at its as-of time), which the target knows; the slice says when the work runs.
 * The input is what was written when `buildProfiles` is called: the loop may let its clock run on
 * (through the ETL's modelled duration) before it awaits the profiles.
 */
export interface ProfileBuilder {
  buildProfiles(slice: SliceWindow): Promise<ProfileRow[]>;
}

/**
 * How long a slice's activities take on the modelled cluster (the ETL's Spark cluster with its worker
 * nodes; the scoring step). The loop does the real work instantly in clock terms and then waits this long,
 * so the enriched profiles are written when the modelled work would have finished.
 */
export interface SliceDurationModel {
  /** Known before the ETL runs: from the events the slice brought and the cluster's worker nodes. */
  etlMs(input: { newEvents: number; workerNodes: number }): number;
  scoreMs(input: { rows: number }): number;
}

/** The two activities of a slice, supplied by the loop; the runner adds retries, durations and states. */
export interface SliceActivities {
  etl(slice: SliceWindow, attempt: number): Promise<void>;
  score(slice: SliceWindow, attempt: number): Promise<void>;
  /**
   * A run of `activity` was cancelled at its timeout after holding its compute for `heldMs`: the
   * cluster's nodes were used all the same (usage.etlNodeMs).
   */
  cancelled?(activity: 'ETL' | 'Scoring', slice: SliceWindow, heldMs: number): void;
}

/**
 * Data Factory: runs each slice's ETL then scoring after the slice's window ends, with retry and
 * concurrency, on the clock. `onUpdate` is called on every state change.
 */
export interface SliceRunner {
  run(slices: readonly SliceWindow[], activities: SliceActivities, onUpdate: (record: SliceRecord & { index: number }) => void): Promise<SliceRecord[]>;
}

// ─── Ground truth and cost ──────────────────────────────────────────────────────────────────────

export interface GroundTruthSource {
  /** The true label (0..3) of each customer for the profiles of this slice (what they go on to buy), by customerID. */
  labels(slice: SliceWindow): Promise<ReadonlyMap<number, number>>;
}

/** What the run used, for the cost model. */
export interface UsageSummary {
  durationMs: number;
  throughputUnits: number;
  streamingUnits: number;
  /** Ingress events billed in 64 KB units (an event of 65 KB counts twice). */
  ingressBillableEvents: number;
  etlNodeMs: number;
  etlWorkerNodes: number;
  storedBytes: number;
  slices: number;
}

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  cost: number;
}

export interface CostBreakdown {
  currency: string;
  total: number;
  perHour: number;
  perSlice: number;
  lines: CostLine[];
  /** Where the prices came from (pricing file, as-of date). */
  source?: string;
}

export interface CostEstimator {
  estimate(usage: UsageSummary): CostBreakdown;
}

// ─── Running processes on the clock ─────────────────────────────────────────────────────────────

/**
 * Runs the loop's concurrent processes on a clock. On the virtual clock this is the discrete-event
 * kernel (processes are kernel processes, real I/O is tracked so virtual time waits for it); on a
 * wall or paced clock it simply runs the promises.
 */
export interface ProcessHost {
  readonly clock: Clock;
  /** Starts `body` as a process; the promise settles with it. */
  spawn<T>(name: string, body: () => Promise<T>): Promise<T>;
  /** Real asynchronous work inside a process; on the virtual clock time stands still until it settles. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Drives the clock until every spawned process has finished (or `until` is reached). */
  run(options?: { until?: EpochMs }): Promise<void>;
}

/** Everything the loop drives. */
export interface PipelineTarget {
  name: string;
  host: ProcessHost;
  source: EventSource;
  publisher: EventPublisher;
  subscriber: EventSubscriber;
  stream: StreamStage;
  /** Where the stream job writes; listed at the end for stored bytes (cost). */
  objectStore?: { store: ObjectStore; container: string };
  profiles: ProfileBuilder;
  scorer: Scorer;
  warehouse: Warehouse;
  slices: SliceRunner;
  durations?: SliceDurationModel;
  truth: GroundTruthSource;
  cost?: CostEstimator;
}

// ─── What a run produces (plain data, read by engine/report and the UI) ─────────────────────────

export type DropReason =
  /** The batch was larger than the hub's maximum publication size. */
  | 'oversize'
  /** The hub refused the batch as malformed. */
  | 'malformed'
  /** Refused (throttled or failed) on every attempt the retry policy allowed. */
  | 'retries-exhausted'
  /** Accepted, but the hub's retention expired before the stream job read it. */
  | 'retention-expired'
  /** The service failed the request (not throttling) and the policy did not retry it. */
  | 'server-error'
  /** The hub reported fewer events accepted than the batch held. */
  | 'lost-in-publish';

/** Where every event the generator sent ended up. */
export interface Reconciliation {
  sent: number;
  accepted: number;
  throttled: number;
  dropped: number;
  droppedByReason: Partial<Record<DropReason, number>>;
  inFlight: number;
  /** sent − accepted − throttled − dropped − inFlight, computed: zero when every event is accounted for. */
  unaccounted: number;
}

export interface HistogramSnapshot {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface ScoringQuality {
  scored: number;
  /** Scored customers that had a ground-truth label. */
  compared: number;
  accuracy: number;
  macroF1: number;
  /** confusion[actual][predicted] */
  confusion: number[][];
}

export interface SliceSummary extends SliceRecord {
  index: number;
  /** Events that reached the store since the previous slice and were taken by this slice's ETL. */
  newEvents: number;
  profiles: number;
  etlMs: number;
  scoreMs: number;
  latency: HistogramSnapshot | null;
  quality: ScoringQuality | null;
}

export interface RunKpis {
  eventsSent: number;
  eventsAccepted: number;
  /** Share of sent events the hub accepted. */
  acceptedShare: number;
  /** Events that reached the stream job (the guide's "reached ASA"). */
  eventsReachedStream: number;
  peakAcceptedPerSecond: number;
  /** Accepted events per second between the first request and the last accepted event. */
  meanAcceptedPerSecond: number;
  throttledRequestShare: number;
  peakBacklog: number;
  peakWatermarkDelayMs: number;
  peakUtilizationPercent: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyP99Ms: number;
  slices: number;
  slicesDeadlineMet: number;
  slicesFailed: number;
  accuracy: number;
  macroF1: number;
  costTotal: number | null;
  costPerHour: number | null;
}

export interface MetricDefinition {
  name: string;
  unit: 'count' | 'bytes' | 'ms' | 'percent';
  /** How seconds make a minute: counters add up, gauges keep the worst second. */
  aggregation: 'sum' | 'max';
  group: 'sender' | 'eventHubs' | 'streamAnalytics' | 'slices';
  help: string;
}

export interface MetricRow {
  /** Start of the interval (clock time, ms). */
  time: EpochMs;
  values: Record<string, number>;
}

/** The recorded metrics: one-second resolution, any coarser grain on demand. */
export interface MetricSeries {
  readonly origin: EpochMs;
  readonly seconds: number;
  definitions(): readonly MetricDefinition[];
  rows(grainSeconds?: number): MetricRow[];
  total(name: string): number;
  peak(name: string): number;
}

export interface RunResult {
  scenario: PipelineScenario;
  target: string;
  startedAt: EpochMs;
  endedAt: EpochMs;
  series: MetricSeries;
  slices: SliceSummary[];
  /** Enqueue → enriched profile written, over every profiled event; `notProfiled` counts accepted events that never got there. */
  latency: HistogramSnapshot & { relativeAccuracy: number; notProfiled: number };
  /** Over every slice that scored. */
  quality: ScoringQuality;
  reconciliation: Reconciliation;
  kpis: RunKpis;
  /** The latest enriched profile of each customer, sorted by customerID. */
  profiles: EnrichedProfileRow[];
  usage: UsageSummary;
  cost: CostBreakdown | null;
}
