// The SU capacity model (spec §6) on hand-computed cases.
import { describe, expect, it } from 'vitest';
import {
  CapacityTwin, DEFAULT_CAPACITY_PARAMS, evaluateCapacity, maxUsefulV1, nodes, recommendStreamingUnits, v1Equivalent, type CapacityPlan,
} from '../../engine/services/stream-analytics/index.js';

const customer360: CapacityPlan = { partitions: 2, steps: [{ kind: 'windowAggregate', partitioned: false, windowSeconds: 60, joinSpanSeconds: 0 }] };

describe('SU units', () => {
  it('maps V2 to V1-equivalents as documented (1/3 → 1, 2/3 → 3, 1 → 6, 2 → 12) and counts nodes', () => {
    expect([1 / 3, 2 / 3, 1, 2].map((su) => v1Equivalent({ model: 'V2', streamingUnits: su }))).toEqual([1, 3, 6, 12]);
    expect(nodes({ model: 'V1', streamingUnits: 1 })).toBe(1);
    expect(nodes({ model: 'V1', streamingUnits: 12 })).toBe(2);
  });

  it('refuses SU values Azure does not offer', () => {
    expect(() => v1Equivalent({ model: 'V1', streamingUnits: 2 })).toThrow(/SU V1 must be 1, 3, 6 or a multiple of 6/);
    expect(() => v1Equivalent({ model: 'V2', streamingUnits: 0.5 })).toThrow(/SU V2 must be 1\/3, 2\/3/);
  });
});

describe('maximum useful SU (docs examples)', () => {
  it('one non-partitioned step ⇒ 6; 16 partitions with one partitioned step ⇒ 96; 3 partitions partitioned + 1 non-partitioned ⇒ 24', () => {
    expect(maxUsefulV1(customer360)).toBe(6);
    expect(maxUsefulV1({ partitions: 16, steps: [{ kind: 'passthrough', partitioned: true, windowSeconds: 0, joinSpanSeconds: 0 }] })).toBe(96);
    expect(
      maxUsefulV1({
        partitions: 3,
        steps: [
          { kind: 'passthrough', partitioned: true, windowSeconds: 0, joinSpanSeconds: 0 },
          { kind: 'windowAggregate', partitioned: false, windowSeconds: 60, joinSpanSeconds: 0 },
        ],
      }),
    ).toBe(24);
  });
});

describe('service rate, memory and recommendation', () => {
  it('1 SU V1 processes ≈ 1 MB/s / cost multiplier (1.2 for a windowed aggregate)', () => {
    const e = evaluateCapacity({ model: 'V1', streamingUnits: 1 }, customer360, { eventsPerSecond: 1000, avgEventBytes: 100, partitions: 2 });
    expect(e.serviceRateBytesPerSecond).toBeCloseTo(1e6 / 1.2, 6);
    expect(e.keepsUp).toBe(true);
    // memory = 15% of 1 GiB + 1000 ev/s · 60 s · 256 B + 2 partitions · 2 MiB
    const mem = 0.15 * 1024 ** 3 + 1000 * 60 * 256 + 2 * 2 * 1024 ** 2;
    expect(e.memoryBytes).toBeCloseTo(mem, 3);
    expect(e.suPercent).toBeCloseTo((mem / 1024 ** 3) * 100, 6);
    expect(e.costPerHour).toBeCloseTo(DEFAULT_CAPACITY_PARAMS.price.perSuHour, 9);
  });

  it('SU beyond 6 does not raise the rate of a non-partitioned job', () => {
    const load = { eventsPerSecond: 1000, avgEventBytes: 100, partitions: 2 };
    const six = evaluateCapacity({ model: 'V1', streamingUnits: 6 }, customer360, load);
    const twelve = evaluateCapacity({ model: 'V1', streamingUnits: 12 }, customer360, load);
    expect(twelve.serviceRateBytesPerSecond).toBe(six.serviceRateBytesPerSecond);
  });

  it('recommends the smallest SU under 80 % and says PARTITION BY when the cap binds', () => {
    expect(recommendStreamingUnits(customer360, { eventsPerSecond: 300, avgEventBytes: 120, partitions: 2 }).streamingUnits).toBe(1);
    expect(recommendStreamingUnits(customer360, { eventsPerSecond: 10_000, avgEventBytes: 120, partitions: 2 }).streamingUnits).toBe(3);
    const capped = recommendStreamingUnits(customer360, { eventsPerSecond: 100_000, avgEventBytes: 120, partitions: 2 });
    expect(capped.streamingUnits).toBeNull();
    expect(capped.reason).toMatch(/PARTITION BY PartitionId/);
    // with PARTITION BY and 8 partitions: 90k ev/s · 120 B = 10.8 MB/s needs 10.8 / 0.8 · 1.2 = 16.2 ⇒ 18 SU V1
    const partitioned = { partitions: 8, steps: [{ ...customer360.steps[0], partitioned: true }] };
    expect(recommendStreamingUnits(partitioned, { eventsPerSecond: 90_000, avgEventBytes: 120, partitions: 8 }).streamingUnits).toBe(18);
  });
});

describe('CapacityTwin', () => {
  it('accumulates a backlog when the offered rate exceeds the service rate and drains it afterwards', () => {
    const est = evaluateCapacity({ model: 'V1', streamingUnits: 1 }, customer360, { eventsPerSecond: 20_000, avgEventBytes: 100, partitions: 2 });
    const twin = new CapacityTwin(est, 100);
    const mu = est.serviceRateEventsPerSecond; // ≈ 8333 ev/s
    for (let s = 0; s < 10; s++) twin.step(20_000, 1);
    expect(twin.backlog).toBeCloseTo(10 * (20_000 - mu), 3);
    expect(twin.metrics().BackloggedInputEvents).toBe(Math.round(10 * (20_000 - mu)));
    expect(twin.metrics().WatermarkDelay).toBeGreaterThan(5);
    let steps = 0;
    while (twin.backlog > 0 && steps < 100) {
      twin.step(0, 1);
      steps++;
    }
    expect(steps).toBe(Math.ceil((10 * (20_000 - mu)) / mu));
  });
});
