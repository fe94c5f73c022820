// The Streaming Unit capacity model (spec §6): service rate from SUs and the query plan, SU % (memory),
// backlog and watermark delay, the maximum useful SU, and a recommendation. Every constant is a parameter;
// documented facts are marked DOC, the rest UNVERIFIED/DERIVED with the default the spec gives.
import { UserError } from '../../core/errors.js';
import type { StepDescription } from './runtime/job.js';

export interface CapacityParams {
  /** DOC: "for each streaming unit, roughly 1 MB/s of input" — MB/s per V1-equivalent SU. */
  mbPerSecondPerV1: number;
  /** UNVERIFIED cost multipliers of a step kind vs passthrough (calibrate against real jobs). */
  costMultiplier: Record<StepDescription['kind'], number>;
  /** DOC: all non-partitioned steps together scale to 6 SU V1; each partition of a partitioned step adds 6. */
  maxV1PerNonPartitionedSteps: number;
  maxV1PerPartition: number;
  /** UNVERIFIED: memory per V1-equivalent SU (not documented). */
  memoryBytesPerV1: number;
  /** DERIVED from "minimal jobs use 10-20 %": fixed memory share of the allocation. */
  baseMemoryFraction: number;
  /** UNVERIFIED: bytes per open group of a windowed aggregate. */
  bytesPerGroup: number;
  /** UNVERIFIED: buffer per input partition. */
  partitionBufferBytes: number;
  /** UNVERIFIED: pipeline latency when keeping up (seconds). */
  baseLatencySeconds: number;
  /** DOC: keep SU % utilization under 80 %; the same head-room is applied to CPU. */
  utilizationTarget: number;
  /** UNVERIFIED price (third-party sources only) — always pass your own with its source. */
  price: { perSuHour: number; currency: string; source: string; asOf: string };
}

export const DEFAULT_CAPACITY_PARAMS: CapacityParams = {
  mbPerSecondPerV1: 1.0,
  costMultiplier: { passthrough: 1.0, filter: 1.0, windowAggregate: 1.2, join: 1.5, referenceJoin: 1.2 },
  maxV1PerNonPartitionedSteps: 6,
  maxV1PerPartition: 6,
  memoryBytesPerV1: 1024 ** 3,
  baseMemoryFraction: 0.15,
  bytesPerGroup: 256,
  partitionBufferBytes: 2 * 1024 ** 2,
  baseLatencySeconds: 1,
  utilizationTarget: 0.8,
  price: { perSuHour: 0.11, currency: 'USD', source: 'UNVERIFIED third-party quote for SU V1 Standard (spec §6.1)', asOf: '2026-08' },
};

export type SuModel = 'V1' | 'V2';

export interface SkuChoice {
  model: SuModel;
  /** V1: 1, 3, 6, 12, … ; V2: 1/3, 2/3, 1, 2, 3, … */
  streamingUnits: number;
}

export interface CapacityPlan {
  steps: { kind: StepDescription['kind']; partitioned: boolean; windowSeconds: number; joinSpanSeconds: number }[];
  partitions: number;
}

export interface LoadProfile {
  eventsPerSecond: number;
  avgEventBytes: number;
  partitions: number;
  /** Open groups per window of a windowed aggregate; default: every event of a window is its own group. */
  openGroups?: number;
  outOfOrderSeconds?: number;
  lateArrivalSeconds?: number;
  anyPartitionIdle?: boolean;
  referenceDataBytes?: number;
}

export const V1_VALUES = [1, 3, ...Array.from({ length: 66 }, (_, i) => 6 * (i + 1))];
export const V2_VALUES = [1 / 3, 2 / 3, ...Array.from({ length: 66 }, (_, i) => i + 1)];

const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** V1-equivalent units (DOC mapping: V1 1 → V2 1/3, 3 → 2/3, 6 → 1, 12 → 2). */
export function v1Equivalent(sku: SkuChoice): number {
  const su = sku.streamingUnits;
  if (sku.model === 'V1') {
    if (!V1_VALUES.includes(su)) throw new UserError(`SU V1 must be 1, 3, 6 or a multiple of 6 up to 396 (got ${su})`, { field: 'streamingUnits' });
    return su;
  }
  if (near(su, 1 / 3)) return 1;
  if (near(su, 2 / 3)) return 3;
  if (!Number.isInteger(su) || su < 1 || su > 66) throw new UserError(`SU V2 must be 1/3, 2/3 or an integer 1…66 (got ${su})`, { field: 'streamingUnits' });
  return 6 * su;
}

/** Streaming nodes behind an allocation (DOC: 6 SU V1 = 1 SU V2 = one node; 1 and 3 are fractional). */
export function nodes(sku: SkuChoice): number {
  return sku.model === 'V1' ? Math.max(1, Math.ceil(sku.streamingUnits / 6)) : Math.max(1, Math.ceil(sku.streamingUnits));
}

export function planFromSteps(steps: StepDescription[], partitions: number): CapacityPlan {
  return {
    partitions,
    steps: steps.map((s) => ({
      kind: s.kind,
      partitioned: s.partitioned,
      windowSeconds: (s.windowUs ?? 0) / 1e6,
      joinSpanSeconds: (s.joinSpanUs ?? 0) / 1e6,
    })),
  };
}

/** DOC: the SU beyond which a job cannot use more (non-partitioned steps ≤ 6 V1; +6 per partition of each partitioned step). */
export function maxUsefulV1(plan: CapacityPlan, params = DEFAULT_CAPACITY_PARAMS): number {
  const anyNonPartitioned = plan.steps.some((s) => !s.partitioned);
  const partitioned = plan.steps.filter((s) => s.partitioned).length;
  return (anyNonPartitioned ? params.maxV1PerNonPartitionedSteps : 0) + partitioned * params.maxV1PerPartition * plan.partitions;
}

export interface CapacityEstimate {
  sku: SkuChoice;
  v1Equivalent: number;
  nodes: number;
  maxUsefulV1: number;
  /** Input bytes/s and events/s the job can process (its bottleneck step). */
  serviceRateBytesPerSecond: number;
  serviceRateEventsPerSecond: number;
  offeredBytesPerSecond: number;
  /** CPU % (preview metric): offered work over capacity. */
  cpuPercent: number;
  memoryBytes: number;
  /** SU % utilization = memory (DOC). ≥ 100 ⇒ the job fails (out of memory). */
  suPercent: number;
  /** Events/s added to the backlog (0 when the job keeps up). */
  backlogGrowthPerSecond: number;
  watermarkDelaySeconds: number;
  keepsUp: boolean;
  withinTarget: boolean;
  costPerHour: number;
  currency: string;
}

export function evaluateCapacity(sku: SkuChoice, plan: CapacityPlan, load: LoadProfile, params = DEFAULT_CAPACITY_PARAMS): CapacityEstimate {
  const v1 = v1Equivalent(sku);
  let mu = Infinity;
  for (const s of plan.steps) {
    const cap = s.partitioned ? Math.min(v1, params.maxV1PerPartition * plan.partitions) : Math.min(v1, params.maxV1PerNonPartitionedSteps);
    const rate = (cap * params.mbPerSecondPerV1 * 1e6) / params.costMultiplier[s.kind];
    if (rate < mu) mu = rate;
  }
  if (!Number.isFinite(mu)) mu = Math.min(v1, params.maxV1PerNonPartitionedSteps) * params.mbPerSecondPerV1 * 1e6;
  const offered = load.eventsPerSecond * load.avgEventBytes;
  const muEvents = mu / load.avgEventBytes;
  let memory = params.baseMemoryFraction * params.memoryBytesPerV1 * v1;
  for (const s of plan.steps) {
    if (s.kind === 'windowAggregate') memory += (load.openGroups ?? load.eventsPerSecond * Math.max(s.windowSeconds, 1)) * params.bytesPerGroup;
    if (s.kind === 'join') memory += load.eventsPerSecond * s.joinSpanSeconds * load.avgEventBytes;
    if (s.kind === 'referenceJoin') memory += (load.referenceDataBytes ?? 0) * load.partitions;
  }
  memory += load.eventsPerSecond * (load.outOfOrderSeconds ?? 0) * load.avgEventBytes;
  memory += load.partitions * params.partitionBufferBytes;
  const suPercent = (memory / (params.memoryBytesPerV1 * v1)) * 100;
  const keepsUp = offered <= mu;
  const growth = keepsUp ? 0 : load.eventsPerSecond - muEvents;
  const wmDelay =
    params.baseLatencySeconds + (load.outOfOrderSeconds ?? 0) + (load.anyPartitionIdle ? (load.lateArrivalSeconds ?? 5) : 0) + (keepsUp ? 0 : Infinity);
  return {
    sku,
    v1Equivalent: v1,
    nodes: nodes(sku),
    maxUsefulV1: maxUsefulV1(plan, params),
    serviceRateBytesPerSecond: mu,
    serviceRateEventsPerSecond: muEvents,
    offeredBytesPerSecond: offered,
    cpuPercent: Math.min(100, (offered / mu) * 100),
    memoryBytes: memory,
    suPercent,
    backlogGrowthPerSecond: growth,
    watermarkDelaySeconds: wmDelay,
    keepsUp,
    withinTarget: offered <= params.utilizationTarget * mu && suPercent <= params.utilizationTarget * 100,
    costPerHour: sku.streamingUnits * params.price.perSuHour,
    currency: params.price.currency,
  };
}

export interface Recommendation {
  model: SuModel;
  /** The smallest SU that sustains the load under the target, or null when none can. */
  streamingUnits: number | null;
  reason: string;
  estimate?: CapacityEstimate;
}

/** "Smallest SU that sustains this load under 80 %", capped by the maximum useful SU (spec §6.2). */
export function recommendStreamingUnits(plan: CapacityPlan, load: LoadProfile, model: SuModel = 'V1', params = DEFAULT_CAPACITY_PARAMS): Recommendation {
  const cap = maxUsefulV1(plan, params);
  const values = model === 'V1' ? V1_VALUES : V2_VALUES;
  for (const su of values) {
    const sku = { model, streamingUnits: su };
    if (v1Equivalent(sku) > Math.max(cap, 1)) break;
    const est = evaluateCapacity(sku, plan, load, params);
    if (est.withinTarget) return { model, streamingUnits: su, reason: `smallest ${model} SU with CPU and SU % under ${params.utilizationTarget * 100}%`, estimate: est };
  }
  const hasNonPartitioned = plan.steps.some((s) => !s.partitioned);
  return {
    model,
    streamingUnits: null,
    reason: hasNonPartitioned
      ? `no SU up to the maximum useful ${cap} (V1) keeps this load under ${params.utilizationTarget * 100}%: add PARTITION BY PartitionId to every step (and more input partitions) instead of more SU`
      : `no SU up to the maximum useful ${cap} (V1) is enough: add input partitions`,
  };
}

function fmtSu(su: number): string {
  return near(su, 1 / 3) ? '1/3' : near(su, 2 / 3) ? '2/3' : String(su);
}

export function formatCapacityReport(e: CapacityEstimate, r: Recommendation): string {
  const mb = (b: number) => (b / 1e6).toFixed(2);
  return [
    `SU ${e.sku.model} ${fmtSu(e.sku.streamingUnits)} (= ${e.v1Equivalent} V1-equivalent, ${e.nodes} node(s); max useful ${e.maxUsefulV1} V1)`,
    `  service rate   ${mb(e.serviceRateBytesPerSecond)} MB/s = ${Math.round(e.serviceRateEventsPerSecond).toLocaleString('en-US')} events/s`,
    `  offered        ${mb(e.offeredBytesPerSecond)} MB/s (CPU ${e.cpuPercent.toFixed(0)}%)`,
    `  SU % (memory)  ${e.suPercent.toFixed(1)}%${e.suPercent >= 100 ? '  ⇒ the job fails (out of memory)' : ''}`,
    `  backlog        ${e.keepsUp ? 'stable' : `grows by ${Math.round(e.backlogGrowthPerSecond).toLocaleString('en-US')} events/s`}`,
    `  watermark delay ${Number.isFinite(e.watermarkDelaySeconds) ? `≈ ${e.watermarkDelaySeconds.toFixed(1)} s` : 'grows without bound'}`,
    `  cost           ${e.costPerHour.toFixed(3)} ${e.currency}/hour`,
    r.streamingUnits === null ? `recommendation: ${r.reason}` : `recommendation: ${r.model} ${fmtSu(r.streamingUnits)} SU (${r.reason})`,
  ].join('\n');
}

/**
 * Discrete-time twin of a job's queue: each tick admits at most μ·Δ events (FIFO), the rest wait in the
 * backlog. Metrics follow Azure's names. The pipeline feeds admitted events into the real runtime.
 */
export class CapacityTwin {
  backlog = 0;
  private lastRate = 0;
  constructor(
    readonly estimate: CapacityEstimate,
    private readonly avgEventBytes: number,
  ) {}

  /** Offers `arrivals` events over `dtSeconds`; returns how many the job processes in that interval. */
  step(arrivals: number, dtSeconds: number): number {
    const capacity = (this.estimate.serviceRateBytesPerSecond / this.avgEventBytes) * dtSeconds;
    const queued = this.backlog + arrivals;
    const processed = Math.min(queued, capacity);
    this.backlog = queued - processed;
    if (this.backlog < 1e-9 * queued) this.backlog = 0; // float residue, not a real event
    this.lastRate = dtSeconds > 0 ? arrivals / dtSeconds : 0;
    return processed;
  }

  metrics(baseLatencySeconds = DEFAULT_CAPACITY_PARAMS.baseLatencySeconds): { BackloggedInputEvents: number; WatermarkDelay: number; ResourceUtilization: number } {
    const lag = this.lastRate > 0 ? this.backlog / this.lastRate : this.backlog > 0 ? Infinity : 0;
    return {
      BackloggedInputEvents: Math.round(this.backlog),
      WatermarkDelay: baseLatencySeconds + lag,
      ResourceUtilization: Math.min(100, this.estimate.suPercent),
    };
  }
}
