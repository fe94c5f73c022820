import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/pipeline/run.js';
import { fixtureTarget, scenario, START } from './fixtures/target.js';

const MIN = 60_000;

describe('slices in the run loop', () => {
  it('a failing ETL attempt is retried; the slice is Ready after 2 attempts and its events are timed once', async () => {
    const s = scenario({ customers: 60 });
    const { target, profiles } = fixtureTarget(s);
    profiles.failOn.add('0:1');
    const result = await runPipeline(s, target);
    expect(result.slices[0]).toMatchObject({ state: 'Ready', attempts: 2, deadlineMet: true });
    expect(result.slices[1]).toMatchObject({ state: 'Ready', attempts: 1 });
    expect(result.latency.count).toBe(result.reconciliation.accepted);
  });

  it('a slice that fails for good hands its events to the next slice, which profiles them later', async () => {
    const s = scenario({ customers: 60, dataFactory: { sliceWidthMs: 15 * MIN, retries: 1, concurrency: 1 } });
    const { target, profiles } = fixtureTarget(s);
    profiles.failOn.add('0:1');
    profiles.failOn.add('0:2');
    const result = await runPipeline(s, target);
    expect(result.slices[0]).toMatchObject({ state: 'Failed', attempts: 2, deadlineMet: false, profiles: 0, quality: null });
    expect(result.kpis.slicesFailed).toBe(1);
    expect(result.slices[1].state).toBe('Ready');
    // Nothing is lost: slice 1 times both its own events and slice 0's.
    expect(result.latency.count).toBe(result.reconciliation.accepted);
    expect(result.slices[1].latency!.count).toBe(result.reconciliation.accepted);
    // Session 0's events (sent from START) waited until slice 1 wrote profiles at START + 30 min.
    expect(result.latency.max).toBeGreaterThan(25 * MIN);
  });

  it('a slice whose work outlasts its deadline is reported as missed, and the run does not crash', async () => {
    const s = scenario({ customers: 60 });
    // ETL takes 20 minutes on the modelled cluster: longer than the 15-minute slice.
    const { target } = fixtureTarget(s, { durations: { etlMs: () => 20 * MIN, scoreMs: () => 0 } });
    const result = await runPipeline(s, target);
    expect(result.slices.map((x) => x.deadlineMet)).toEqual([false, false]);
    expect(result.kpis.slicesDeadlineMet).toBe(0);
    expect(result.endedAt).toBeGreaterThan(START + 30 * MIN);
  });
});
