import { describe, it, expect } from 'vitest';
import { SimKernel, VirtualClock, PacedClock, wallClock } from '../../engine/sim/index.js';
import {
  DataFactorySliceScheduler,
  summarizeSlices,
  timedActivity,
  sliceWindows,
  type Activity,
  type DataFactorySliceRecord,
} from '../../engine/services/data-factory/index.js';
import type { Clock } from '../../engine/ports/clock.js';

const T0 = Date.UTC(2017, 2, 8, 6, 0, 0);
const MIN = 60_000;
const SEC = 1000;
/** One 15-minute slice starting at T0. */
const ONE_SLICE = { periodStart: T0, periodEnd: T0 + 15 * MIN, sliceWidthMs: 15 * MIN };

/** An activity that takes a fixed time on the clock. */
const takes = (ms: number): Activity => async ({ clock }) => clock.sleepUntil(clock.now() + ms);

/** Runs a scheduler inside the kernel as a process and returns its final records. */
async function simulate(build: (clock: Clock) => DataFactorySliceScheduler): Promise<readonly DataFactorySliceRecord[]> {
  const kernel = new SimKernel({ start: T0 });
  const clock = new VirtualClock(kernel);
  const scheduler = build(clock);
  const proc = kernel.process('data-factory', () => scheduler.run());
  await kernel.run();
  return proc.done;
}

describe('slice windows', () => {
  it('cuts the active period into [start, start + width) slices and never runs a partial one', () => {
    expect(sliceWindows(T0, T0 + 60 * MIN, 15 * MIN).map((s) => [(s.start - T0) / MIN, (s.end - T0) / MIN])).toEqual([
      [0, 15],
      [15, 30],
      [30, 45],
      [45, 60],
    ]);
    expect(sliceWindows(T0, T0 + 50 * MIN, 15 * MIN)).toHaveLength(3);
    expect(() => sliceWindows(T0, T0 + MIN, 0)).toThrow(RangeError);
  });
});

describe('DataFactorySliceScheduler on the virtual clock', () => {
  it('runs ETL then scoring per slice once the window has ended, and meets the deadlines', async () => {
    const log: string[] = [];
    const logged = (name: string, ms: number): Activity => async (ctx) => {
      log.push(`${(ctx.clock.now() - T0) / SEC}s ${name} slice ${ctx.slice.index}`);
      await ctx.clock.sleepUntil(ctx.clock.now() + ms);
    };
    const slices = await simulate(
      (clock) =>
        new DataFactorySliceScheduler({
          clock,
          periodStart: T0,
          periodEnd: T0 + 60 * MIN,
          sliceWidthMs: 15 * MIN,
          pipeline: [
            { name: 'etl', run: logged('etl', 216 * SEC) },
            { name: 'scoring', run: logged('scoring', 60 * SEC) },
          ],
        }),
    );
    expect(log.slice(0, 4)).toEqual(['900s etl slice 0', '1116s scoring slice 0', '1800s etl slice 1', '2016s scoring slice 1']);
    expect(slices.map((s) => s.state)).toEqual(['Ready', 'Ready', 'Ready', 'Ready']);
    expect(slices.map((s) => (s.finishedAt! - T0) / SEC)).toEqual([1176, 2076, 2976, 3876]);
    expect(slices.every((s) => s.deadlineMet && s.attempts === 2)).toBe(true);
    expect(slices[0]).toMatchObject({ dueAt: T0 + 15 * MIN, deadline: T0 + 30 * MIN, startedAt: T0 + 15 * MIN });
    expect(summarizeSlices(slices)).toEqual({ total: 4, ready: 4, failed: 0, pending: 0, deadlinesMet: 4, deadlinesMissed: 0, retries: 0 });
  });

  it('retries a failing activity after the retry interval and the slice still becomes Ready', async () => {
    let etlCalls = 0;
    const flakyEtl: Activity = async (ctx) => {
      etlCalls++;
      await ctx.clock.sleepUntil(ctx.clock.now() + 100 * SEC);
      if (ctx.slice.index === 0 && ctx.attempt === 1) throw new Error('Spark executor lost');
    };
    const slices = await simulate(
      (clock) =>
        new DataFactorySliceScheduler({
          clock,
          periodStart: T0,
          periodEnd: T0 + 30 * MIN,
          sliceWidthMs: 15 * MIN,
          retry: 1,
          retryIntervalMs: 30 * SEC,
          pipeline: [
            { name: 'etl', run: flakyEtl },
            { name: 'scoring', run: takes(60 * SEC) },
          ],
        }),
    );
    expect(etlCalls).toBe(3);
    const first = slices[0];
    expect(first.state).toBe('Ready');
    expect(first.attempts).toBe(3);
    expect(first.activityRuns.map((r) => [r.activity, r.attempt, r.status, (r.start - T0) / SEC, (r.end - T0) / SEC])).toEqual([
      ['etl', 1, 'Failed', 900, 1000],
      ['etl', 2, 'Succeeded', 1030, 1130],
      ['scoring', 1, 'Succeeded', 1130, 1190],
    ]);
    expect(first.activityRuns[0].error).toBe('Spark executor lost');
    expect(first.error).toBeUndefined();
    expect(first.deadlineMet).toBe(true);
    expect(slices[1].activityRuns).toHaveLength(2);
    expect(summarizeSlices(slices).retries).toBe(1);
  });

  it('a slice whose activity runs out of retries is Failed, skips scoring, and later slices still run', async () => {
    let scoringRuns = 0;
    const slices = await simulate(
      (clock) =>
        new DataFactorySliceScheduler({
          clock,
          periodStart: T0,
          periodEnd: T0 + 45 * MIN,
          sliceWidthMs: 15 * MIN,
          retry: 2,
          retryIntervalMs: 10 * SEC,
          pipeline: [
            {
              name: 'etl',
              run: async (ctx) => {
                await ctx.clock.sleepUntil(ctx.clock.now() + 5 * SEC);
                if (ctx.slice.index === 1) throw new Error('warehouse unreachable');
              },
            },
            { name: 'scoring', run: async () => void scoringRuns++ },
          ],
        }),
    );
    expect(slices.map((s) => s.state)).toEqual(['Ready', 'Failed', 'Ready']);
    expect(slices[1]).toMatchObject({ failedActivity: 'etl', error: 'warehouse unreachable', attempts: 3, deadlineMet: false });
    // three runs of 5 s with two 10 s pauses
    expect(slices[1].finishedAt! - slices[1].dueAt).toBe(35 * SEC);
    expect(scoringRuns).toBe(2);
    expect(summarizeSlices(slices)).toMatchObject({ ready: 2, failed: 1, deadlinesMet: 2, deadlinesMissed: 1, retries: 2 });
  });

  it('with concurrency 1 a slow slice delays the next one and the missed deadlines are reported, not fatal', async () => {
    const slices = await simulate(
      (clock) =>
        new DataFactorySliceScheduler({
          clock,
          periodStart: T0,
          periodEnd: T0 + 45 * MIN,
          sliceWidthMs: 15 * MIN,
          concurrency: 1,
          pipeline: [{ name: 'etl', run: takes(20 * MIN) }],
        }),
    );
    // due at 15, 30, 45 min; each takes 20 min; one at a time
    expect(slices.map((s) => (s.startedAt! - T0) / MIN)).toEqual([15, 35, 55]);
    expect(slices.map((s) => (s.finishedAt! - T0) / MIN)).toEqual([35, 55, 75]);
    expect(slices.map((s) => s.state)).toEqual(['Ready', 'Ready', 'Ready']);
    expect(slices.map((s) => s.deadlineMet)).toEqual([false, false, false]);
    expect(summarizeSlices(slices).deadlinesMissed).toBe(3);
  });

  it('with concurrency 2 slices overlap and start when due', async () => {
    const slices = await simulate(
      (clock) =>
        new DataFactorySliceScheduler({
          clock,
          periodStart: T0,
          periodEnd: T0 + 45 * MIN,
          sliceWidthMs: 15 * MIN,
          concurrency: 2,
          pipeline: [{ name: 'etl', run: takes(20 * MIN) }],
        }),
    );
    expect(slices.map((s) => (s.startedAt! - T0) / MIN)).toEqual([15, 30, 45]);
    expect(slices.map((s) => (s.finishedAt! - T0) / MIN)).toEqual([35, 50, 65]);
  });

  it('reports each state change in order', async () => {
    const changes: string[] = [];
    await simulate(
      (clock) =>
        new DataFactorySliceScheduler({
          clock,
          ...ONE_SLICE,
          retry: 1,
          retryIntervalMs: 0,
          pipeline: [
            {
              name: 'etl',
              run: async (ctx) => {
                if (ctx.attempt === 1) throw new Error('boom');
              },
            },
          ],
          onChange: (s) => changes.push(`${s.state}:${s.attempts}`),
        }),
    );
    expect(changes).toEqual(['InProgress:0', 'InProgress:1', 'InProgress:2', 'Ready:2']);
  });

  it('timedActivity occupies the cluster for the modelled duration after the work', async () => {
    let workDoneAt = 0;
    const slices = await simulate(
      (clock) =>
        new DataFactorySliceScheduler({
          clock,
          ...ONE_SLICE,
          pipeline: [
            {
              name: 'etl',
              run: timedActivity(async (ctx) => {
                workDoneAt = ctx.clock.now();
                return { durationMs: 216_150 };
              }),
            },
          ],
        }),
    );
    expect(workDoneAt).toBe(T0 + 15 * MIN);
    expect(slices[0].finishedAt).toBe(T0 + 15 * MIN + 216_150);
  });

  it('an activity that would pass its timeout is cut off there, fails as timed out, and is retried', async () => {
    const kernel = new SimKernel({ start: T0 });
    const clock = new VirtualClock(kernel);
    let attempts = 0;
    const scheduler = new DataFactorySliceScheduler({
      clock,
      ...ONE_SLICE,
      retry: 1,
      retryIntervalMs: 30 * SEC,
      activityTimeoutMs: 10 * MIN,
      pipeline: [
        {
          name: 'etl',
          // 20 minutes of modelled work on the first attempt, 5 on the retry
          run: timedActivity(async () => ({ durationMs: ++attempts === 1 ? 20 * MIN : 5 * MIN })),
        },
      ],
    });
    const proc = kernel.process('df', () => scheduler.run());
    const result = await kernel.run();
    const [slice] = await proc.done;
    expect(slice.activityRuns.map((r) => [r.status, (r.end - r.start) / MIN, r.error])).toEqual([
      ['Failed', 10, 'timed out after 600 s'],
      ['Succeeded', 5, undefined],
    ]);
    expect(slice.state).toBe('Ready');
    // 15 min due + 10 min cut off + 30 s + 5 min; no timer left behind to drag virtual time further
    expect(slice.finishedAt! - T0).toBe(30 * MIN + 30 * SEC);
    expect(result.now).toBe(slice.finishedAt);
  });

  it('an activity that ignores its deadline and returns late is failed as timed out', async () => {
    const slices = await simulate(
      (clock) =>
        new DataFactorySliceScheduler({
          clock,
          ...ONE_SLICE,
          retry: 0,
          activityTimeoutMs: 10 * MIN,
          pipeline: [{ name: 'etl', run: takes(12 * MIN) }],
        }),
    );
    expect(slices[0]).toMatchObject({ state: 'Failed', failedActivity: 'etl', error: 'timed out after 600 s', deadlineMet: false });
  });

  it('validates its options', async () => {
    const clock = wallClock;
    const base = { clock, periodStart: T0, periodEnd: T0 + 15 * MIN, sliceWidthMs: 15 * MIN, pipeline: [{ name: 'etl', run: takes(1) }] };
    expect(() => new DataFactorySliceScheduler({ ...base, retry: -1 })).toThrow(/retry/);
    await expect(new DataFactorySliceScheduler({ ...base, concurrency: 0 }).run()).rejects.toThrow(/capacity must be an integer/);
    expect(() => new DataFactorySliceScheduler({ ...base, pipeline: [] })).toThrow(/at least one activity/);
    expect(() => new DataFactorySliceScheduler({ ...base, activityTimeoutMs: 0 })).toThrow(/activityTimeoutMs/);
  });
});

describe('the same scheduler on a paced clock', () => {
  it('runs an hour of slices in a fraction of a second at speed 100,000 with the same timeline', async () => {
    const origin = T0;
    const clock = new PacedClock({ base: wallClock, speed: 100_000, origin });
    const scheduler = new DataFactorySliceScheduler({
      clock,
      periodStart: origin,
      periodEnd: origin + 60 * MIN,
      sliceWidthMs: 15 * MIN,
      pipeline: [{ name: 'etl', run: takes(216 * SEC) }],
    });
    const wall0 = performance.now();
    const slices = await scheduler.run();
    expect(performance.now() - wall0).toBeLessThan(5000);
    expect(slices.map((s) => s.state)).toEqual(['Ready', 'Ready', 'Ready', 'Ready']);
    // Real timers are late by a few ms of wall time = a few minutes of scenario time at this speed,
    // so only the shape is checked: each slice starts after it is due and finishes ~216 s later.
    for (const s of slices) {
      expect(s.startedAt!).toBeGreaterThanOrEqual(s.dueAt);
      expect(s.finishedAt! - s.startedAt!).toBeGreaterThanOrEqual(216 * SEC);
    }
  });
});
