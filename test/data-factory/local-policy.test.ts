// The scenario's Data Factory activity policy on the local target: `retryIntervalSeconds` is the wait on
// the engine clock between a failed activity run and its retry, and `activityTimeoutMinutes` cancels a run
// that lasts longer — it fails as timed out at its deadline and is retried per the policy, as ADF does.
// The activities here behave like the pipeline's (engine/pipeline/slice-work.ts): they do their work,
// ask the duration model how long the cluster takes, wait that long, and only then write their output.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.js';
import { KernelProcessHost } from '../../engine/pipeline/process-host.js';
import { runPipeline } from '../../engine/pipeline/run.js';
import type { SliceRecord } from '../../engine/ports/jobs.js';
import type { SliceActivities, SliceDurationModel, SliceWindow } from '../../engine/ports/pipeline.js';
import { SimKernel } from '../../engine/sim/index.js';
import { ActivityOverrunError, ClusterDurations, DataFactorySliceRunner, type SlicePolicy } from '../../engine/targets/local/data-factory.js';
import { createLocalTarget, dataFactoryPolicy } from '../../engine/targets/local/target.js';

const T0 = Date.UTC(2017, 2, 8, 6, 0, 0);
const SEC = 1000;
const MIN = 60 * SEC;

interface Call {
  activity: 'ETL' | 'Scoring';
  slice: number;
  attempt: number;
  at: number;
}

/** Activities shaped like SliceWork: work, modelled duration, wait, then the output is written. */
class ModelledActivities implements SliceActivities {
  readonly calls: Call[] = [];
  readonly written: number[] = [];
  /** ETL attempts ("slice:attempt") that throw before doing anything (a transient failure). */
  readonly failOn = new Set<string>();

  constructor(
    private readonly host: KernelProcessHost,
    private readonly durations: SliceDurationModel,
    private readonly rows: number,
  ) {}

  async etl(slice: SliceWindow, attempt: number): Promise<void> {
    this.calls.push({ activity: 'ETL', slice: slice.index, attempt, at: this.host.clock.now() - T0 });
    if (this.failOn.has(`${slice.index}:${attempt}`)) throw new Error('transient ETL failure');
    const ms = this.durations.etlMs({ newEvents: this.rows, workerNodes: 1 });
    await this.host.clock.sleepUntil(this.host.clock.now() + ms);
  }

  async score(slice: SliceWindow, attempt: number): Promise<void> {
    this.calls.push({ activity: 'Scoring', slice: slice.index, attempt, at: this.host.clock.now() - T0 });
    const ms = this.durations.scoreMs({ rows: 60 });
    await this.host.clock.sleepUntil(this.host.clock.now() + ms);
    this.written.push(slice.index);
  }
}

async function runSlices(policy: SlicePolicy, durations: ClusterDurations, options: { rows?: number; fail?: string[]; slices?: number } = {}) {
  const host = new KernelProcessHost(new SimKernel({ start: T0 }));
  const activities = new ModelledActivities(host, durations, options.rows ?? 1000);
  for (const f of options.fail ?? []) activities.failOn.add(f);
  const windows: SliceWindow[] = Array.from({ length: options.slices ?? 1 }, (_, i) => ({ index: i, start: T0 + i * 15 * MIN, end: T0 + (i + 1) * 15 * MIN }));
  const runner = new DataFactorySliceRunner(host, policy);
  const updates: (SliceRecord & { index: number })[] = [];
  let records: SliceRecord[] = [];
  void host.spawn('slices', async () => {
    records = await runner.run(windows, activities, (r) => updates.push(r));
  });
  await host.run();
  return { records, activities, updates };
}

// ETL: 60 s fixed + 600 s per million rows on one worker; scoring: 5 s fixed.
const cluster = (timeoutMs?: number) => new ClusterDurations({ fixedSeconds: 60, serialSecondsPerMillionRows: 0, parallelSecondsPerMillionRows: 600 }, 5, timeoutMs);

describe('Data Factory activity policy on the local target', () => {
  it('a retry waits the retry interval on the engine clock', async () => {
    const { records, activities } = await runSlices({ retry: 2, concurrency: 1, retryIntervalMs: 90 * SEC }, cluster(), { fail: ['0:1', '0:2'] });
    const etl = activities.calls.filter((c) => c.activity === 'ETL');
    // Slice 0 is due at 15:00; attempts at 15:00, 16:30 and 18:00 (failures are instant here).
    expect(etl.map((c) => [c.attempt, c.at / SEC])).toEqual([
      [1, 900],
      [2, 990],
      [3, 1080],
    ]);
    expect(records[0]).toMatchObject({ state: 'Ready', attempts: 3 });
    expect(activities.written).toEqual([0]);
  });

  it('the retry interval defaults to ADF\'s 30 s when the scenario does not set it, and is wired from retryIntervalSeconds', async () => {
    const withDefault = parseScenario('name: p\n', path.join('/tmp', 'p.yaml')).base;
    expect(dataFactoryPolicy(withDefault)).toEqual({ retry: 1, concurrency: 1, retryIntervalMs: 30_000 });
    const set = parseScenario('name: p\ndataFactory: { retry: 3, retryIntervalSeconds: 120, activityTimeoutMinutes: 12.5, concurrency: 2 }\n', path.join('/tmp', 'p.yaml')).base;
    expect(dataFactoryPolicy(set)).toEqual({ retry: 3, concurrency: 2, retryIntervalMs: 120_000, activityTimeoutMs: 750_000 });
  });

  it('an activity outlasting its timeout fails at the deadline as timed out, is retried after the interval, and writes nothing', async () => {
    // 2M rows: 60 s + 1,200 s = 21 min of ETL against a 15-minute timeout.
    const { records, activities, updates } = await runSlices({ retry: 1, concurrency: 1, retryIntervalMs: 30 * SEC, activityTimeoutMs: 15 * MIN }, cluster(15 * MIN), { rows: 2_000_000 });
    expect(records[0]).toMatchObject({ state: 'Failed', attempts: 2, deadlineMet: false });
    // Due at 15:00; cancelled at 30:00; retried at 30:30; cancelled again at 45:30.
    expect(records[0].finishedAt! - T0).toBe(45 * MIN + 30 * SEC);
    // The retry (same slice, at least the same input, same model) is held to its deadline without redoing the work.
    expect(activities.calls.map((c) => [c.activity, c.attempt])).toEqual([['ETL', 1]]);
    expect(activities.written).toEqual([]);
    expect(updates.some((u) => u.state === 'InProgress')).toBe(true);
  });

  it('an activity within its timeout is unaffected; a scoring run outlasting it fails without writing profiles', async () => {
    const fits = await runSlices({ retry: 1, concurrency: 1, activityTimeoutMs: 15 * MIN }, cluster(15 * MIN), { rows: 1_000_000, slices: 2 });
    // ETL 60 + 600 s, scoring 5 s + 60 rows at 100 s per million: 665.006 s after the window ends.
    expect(fits.records.map((r) => [r.state, r.attempts, (r.finishedAt! - r.end) / SEC])).toEqual([
      ['Ready', 1, 665.006],
      ['Ready', 1, 665.006],
    ]);
    expect(fits.activities.written).toEqual([0, 1]);
    // A 4-second timeout: the ETL (60 s) already overruns; make ETL instant to reach scoring (5 s).
    const scoring = new ClusterDurations({ fixedSeconds: 0, serialSecondsPerMillionRows: 0, parallelSecondsPerMillionRows: 0 }, 5, 4 * SEC);
    const late = await runSlices({ retry: 1, concurrency: 1, retryIntervalMs: 10 * SEC, activityTimeoutMs: 4 * SEC }, scoring);
    expect(late.records[0]).toMatchObject({ state: 'Failed', attempts: 2 });
    expect(late.records[0].finishedAt! - late.records[0].end).toBe(4 * SEC + 10 * SEC + 4 * SEC);
    expect(late.activities.written).toEqual([]);
  });

  it('the duration model refuses a run longer than the timeout and allows one that ends on it', () => {
    const d = cluster(10 * MIN);
    expect(d.etlMs({ newEvents: 900_000, workerNodes: 1 })).toBe(600 * SEC); // 60 + 540 s
    expect(() => d.etlMs({ newEvents: 1_000_000, workerNodes: 1 })).toThrow(ActivityOverrunError);
    expect(cluster().etlMs({ newEvents: 10_000_000, workerNodes: 1 })).toBe(6060 * SEC);
  });

  it('a scenario whose ETL outlasts activityTimeoutMinutes reports its slices Failed after the retry, and the run completes', { timeout: 60_000 }, async () => {
    const text = `name: df-timeout
seed: 5
generator: { customers: 60, sessions: 2, historyDays: 10 }
sender: { batchSize: 100, intervalSeconds: 5 }
dataFactory: { sliceMinutes: 5, retry: 1, retryIntervalSeconds: 20, activityTimeoutMinutes: 2, etlCluster: { fixedSeconds: 150 }, scoringFixedSeconds: 5 }
`;
    const loaded = parseScenario(text, path.join('/tmp', 'df-timeout.yaml'));
    const local = await createLocalTarget(loaded.base, loaded);
    try {
      const result = await runPipeline(local.scenario, local.target);
      expect(result.slices.map((s) => [s.state, s.attempts, s.profiles])).toEqual([
        ['Failed', 2, 0],
        ['Failed', 2, 0],
      ]);
      // Slice 0 is due at 5:00: timed out at 7:00, retried at 7:20, timed out at 9:20.
      expect(result.slices[0].finishedAt! - local.scenario.start).toBe(9 * MIN + 20 * SEC);
      expect(result.profiles).toHaveLength(0);
      expect(result.kpis.slicesFailed).toBe(2);
      expect(result.reconciliation.unaccounted).toBe(0);
      // Each cancelled ETL run held its worker nodes for the 2-minute timeout: counted as node time used.
      expect(result.usage.etlNodeMs).toBe(2 * 2 * 2 * MIN * result.usage.etlWorkerNodes);
    } finally {
      await local.close();
    }
  });
});
