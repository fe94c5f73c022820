// What Azure actually offers, so a scenario cannot describe a deployment that could not exist.
// Sources (see docs/scenarios.md for the full citations):
//  - Event Hubs quotas: https://learn.microsoft.com/azure/event-hubs/event-hubs-quotas (spec/event-hubs.md §8.1)
//  - Stream Analytics SUs: articles/stream-analytics/stream-analytics-streaming-unit-consumption.md, 2019 and 2022
//    revisions (spec/stream-analytics.md §6.1); the V1 ceiling 396 is the `autoscale --capacity` limit of the
//    azure-streamanalytics-cicd tool, and 66 SU V2 (660 backend units) the ARM quickstart's maximum.

export type EventHubsTier = 'basic' | 'standard' | 'premium' | 'dedicated';
export const EVENT_HUBS_TIERS: readonly EventHubsTier[] = ['basic', 'standard', 'premium', 'dedicated'];

export interface TierLimits {
  /** What the capacity unit is called on this tier (TU, PU, CU). */
  unitName: string;
  /** The capacity units one can buy; `throughputUnits` must be one of them. */
  units: readonly number[];
  maxPartitions: number;
  maxRetentionHours: number;
  /** Largest publication (one event or one batch) in bytes. */
  maxPublicationBytes: number;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const EVENT_HUBS_TIER_LIMITS: Record<EventHubsTier, TierLimits> = {
  // 40 TUs on the current quotas page (20 self-serve on older pages); the twin accepts what Azure sells today.
  basic: { unitName: 'TU', units: range(1, 40), maxPartitions: 32, maxRetentionHours: 24, maxPublicationBytes: 256 * 1024 },
  standard: { unitName: 'TU', units: range(1, 40), maxPartitions: 32, maxRetentionHours: 7 * 24, maxPublicationBytes: 1024 * 1024 },
  premium: { unitName: 'PU', units: [1, 2, 4, 8, 16], maxPartitions: 100, maxRetentionHours: 90 * 24, maxPublicationBytes: 1024 * 1024 },
  dedicated: { unitName: 'CU', units: range(1, 20), maxPartitions: 1024, maxRetentionHours: 90 * 24, maxPublicationBytes: 1024 * 1024 },
};

/** Compact text for a list of allowed integers: "1–40" or "1, 2, 4, 8, 16". */
export function describeAllowed(values: readonly number[]): string {
  const contiguous = values.every((v, i) => i === 0 || v === values[i - 1] + 1);
  return contiguous && values.length > 3 ? `${values[0]}–${values[values.length - 1]}` : values.join(', ');
}

export type SuModel = 'v1' | 'v2';
export type StreamingUnits = number | '1/3' | '2/3';

/** SU V1: 1 and 3 (fractions of a node), 6 (one node), then whole nodes: multiples of 6 up to 396. */
export const SU_V1_VALUES: readonly number[] = [1, 3, ...range(1, 66).map((n) => 6 * n)];
/** SU V2: the fractions 1/3 and 2/3, then whole nodes 1–66. */
export const SU_V2_VALUES: readonly StreamingUnits[] = ['1/3', '2/3', ...range(1, 66)];

export function allowedStreamingUnitsText(model: SuModel): string {
  return model === 'v1' ? '1, 3, 6, 12, 18, 24, … (multiples of 6) up to 396' : '1/3, 2/3, 1, 2, 3, … up to 66';
}

export function isOfferedStreamingUnits(model: SuModel, su: StreamingUnits): boolean {
  return model === 'v1' ? typeof su === 'number' && SU_V1_VALUES.includes(su) : SU_V2_VALUES.includes(su);
}

/**
 * Capacity in V1-equivalent SUs, the unit the capacity model (≈1 MB/s each) is written in.
 * V2 → V1 mapping from the 2022 docs: 1/3 → 1, 2/3 → 3, n → 6n. An un-offered V1 value (only with
 * allowUnofferedStreamingUnits, e.g. the guide's "2 SU" row) is taken at face value.
 */
export function v1EquivalentStreamingUnits(model: SuModel, su: StreamingUnits): number {
  if (su === '1/3') return 1;
  if (su === '2/3') return 3;
  return model === 'v1' ? su : 6 * su;
}
