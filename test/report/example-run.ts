// A synthetic run for the report tests and the example screenshot: the fixture ports of
// test/pipeline with a demo-like shape — four sessions, one per slice, into a hub whose throughput
// does not quite fit the 1,675-event batches (some are throttled), a stream job that falls behind for
// a while, an ETL cluster that takes minutes, one failing ETL attempt, and a simple cost model.
import { runPipeline } from '../../engine/pipeline/run.js';
import type { CostBreakdown, CostEstimator, RunResult, UsageSummary } from '../../engine/ports/pipeline.js';
import { fixtureTarget, scenario } from '../pipeline/fixtures/target.js';

const MIN = 60_000;

/** A hand-priced cost model for the example (not the project's pricing file). */
export const exampleCost: CostEstimator = {
  estimate(u: UsageSummary): CostBreakdown {
    const hours = u.durationMs / 3_600_000;
    const lines = [
      { item: 'Event Hubs TU-hours', quantity: u.throughputUnits * hours, unit: 'TU-hour', unitPrice: 0.03 },
      { item: 'Ingress (64 KB events)', quantity: u.ingressBillableEvents / 1e6, unit: 'million', unitPrice: 0.028 },
      { item: 'Stream Analytics SU-hours', quantity: u.streamingUnits * hours, unit: 'SU-hour', unitPrice: 0.11 },
      { item: 'ETL cluster node-hours', quantity: u.etlNodeMs / 3_600_000, unit: 'node-hour', unitPrice: 0.32 },
    ].map((l) => ({ ...l, cost: l.quantity * l.unitPrice }));
    const total = lines.reduce((a, l) => a + l.cost, 0);
    return { currency: 'USD', total, perHour: hours ? total / hours : 0, perSlice: total / u.slices, lines, source: 'example prices (test fixture)' };
  },
};

export async function exampleRun(customers = 600): Promise<RunResult> {
  const s = scenario({
    name: 'report-example',
    customers,
    generator: { customers, sessions: 4, sessionIntervalMs: 15 * MIN },
    sender: { batchSize: 1675, intervalMs: 5000, retry: { kind: 'none' } },
    dataFactory: { sliceWidthMs: 15 * MIN, slices: 4, retries: 1, concurrency: 1, etlWorkerNodes: 4 },
  });
  const { target, profiles } = fixtureTarget(s, {
    // 300 events/s refill: a 1,675-event batch every 5 s does not always fit, so some are throttled.
    hub: { throughputUnits: 0.3, burstSeconds: 6 },
    eventsPerSecondPerSu: 260,
    cost: exampleCost,
    durations: { etlMs: ({ newEvents, workerNodes }) => 90_000 + (newEvents * 20) / workerNodes, scoreMs: ({ rows }) => 20_000 + rows * 5 },
  });
  // One ETL attempt fails, to show a retry in the slice table.
  profiles.failOn.add('1:1');
  return runPipeline(s, target);
}
