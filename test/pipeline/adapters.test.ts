import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { costOf, loadPricing } from '../../engine/cost/index.js';
import { PricingCostEstimator } from '../../engine/pipeline/cost-estimator.js';
import { costDeployment, toPipelineScenario } from '../../engine/pipeline/from-scenario.js';
import { SDK_DEFAULT_RETRY } from '../../engine/pipeline/retry-policy.js';
import { runPipeline, sliceWindows } from '../../engine/pipeline/run.js';
import { loadScenarioFile } from '../../engine/scenarios/index.js';
import { repoRoot } from '../helpers/cli.js';
import { fixtureTarget, scenario } from './fixtures/target.js';

const MIN = 60_000;

describe('scenario file → PipelineScenario', () => {
  it('seed-demo.yaml becomes the original deployment in milliseconds and counts', () => {
    const loaded = loadScenarioFile(path.join(repoRoot, 'scenarios/seed-demo.yaml'));
    const s = toPipelineScenario(loaded.base);
    expect(s).toMatchObject({
      name: 'seed-demo',
      seed: 1,
      start: Date.parse('2017-03-08T06:00:00Z'),
      generator: { customers: 6000, sessions: 4, sessionIntervalMs: 15 * MIN },
      sender: { batchSize: 1675, intervalMs: 5000, retry: { kind: 'none' }, connections: 1 },
      eventHubs: { tier: 'standard', throughputUnits: 1, partitions: 2, retentionMs: 24 * 60 * MIN },
      streamAnalytics: { streamingUnits: 1 },
      dataFactory: { sliceWidthMs: 15 * MIN, slices: 4, retries: 1, concurrency: 1, etlWorkerNodes: 4 },
    });
    expect(sliceWindows(s)).toHaveLength(4);
  });

  it('sdk-default retries and every matrix combination map through', () => {
    const loaded = loadScenarioFile(path.join(repoRoot, 'scenarios/tu-su-matrix.yaml'));
    const mapped = loaded.runs.map((r) => toPipelineScenario(r.scenario));
    expect(mapped.map((m) => `${m.eventHubs.throughputUnits}x${m.streamAnalytics.streamingUnits}`)).toEqual(
      ['1x1', '1x3', '1x6', '2x1', '2x3', '2x6', '4x1', '4x3', '4x6', '8x1', '8x3', '8x6'],
    );
    const retrying = toPipelineScenario({ ...loaded.base, sender: { ...loaded.base.sender, retryPolicy: 'sdk-default' } });
    expect(retrying.sender.retry).toEqual(SDK_DEFAULT_RETRY);
  });
});

describe('PricingCostEstimator', () => {
  it('prices the run with engine/cost and adds a per-slice figure', () => {
    const loaded = loadScenarioFile(path.join(repoRoot, 'scenarios/seed-demo.yaml'));
    const pricing = loadPricing();
    const deployment = costDeployment(loaded.base);
    const estimator = new PricingCostEstimator(pricing, deployment, 15);
    const usage = { durationMs: 3_600_000, throughputUnits: 1, streamingUnits: 1, ingressBillableEvents: 2_000_000, etlNodeMs: 0, etlWorkerNodes: 4, storedBytes: 5e8, slices: 4 };
    const cost = estimator.estimate(usage);
    const direct = costOf(pricing, deployment, { hours: 1, billableIngressEvents: 2_000_000, storedBytes: 5e8 });
    expect(cost.total).toBeCloseTo(direct.total, 12);
    expect(cost.perHour).toBeCloseTo(direct.total, 12);
    // A 15-minute slice of a one-hour run at a steady rate costs a quarter of it.
    expect(cost.perSlice).toBeCloseTo(direct.total / 4, 9);
    expect(cost.lines.map((l) => l.item)).toContain('Event Hubs: standard capacity');
    expect(cost.source).toMatch(/pricing\.json .*as of \d{4}-\d{2}-\d{2}/);
  });
});

describe('parallel connections per session', () => {
  it('two connections share one session: the same events are sent, in about half the time', async () => {
    const base = scenario({ customers: 60, generator: { customers: 60, sessions: 1, sessionIntervalMs: 15 * MIN }, dataFactory: { sliceWidthMs: 15 * MIN, retries: 0, concurrency: 1 } });
    const one = await runPipeline(base, fixtureTarget(base).target);
    const twoScenario = { ...base, sender: { ...base.sender, connections: 2 } };
    const two = await runPipeline(twoScenario, fixtureTarget(twoScenario).target);
    expect(two.reconciliation.sent).toBe(one.reconciliation.sent);
    expect(two.reconciliation.unaccounted).toBe(0);
    const lastRequest = (r: typeof one) => r.series.rows(1).findLastIndex((row) => row.values.IncomingRequests > 0);
    expect(lastRequest(two)).toBeLessThan(lastRequest(one) * 0.6);
  });
});
