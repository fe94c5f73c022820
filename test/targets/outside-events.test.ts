// Events from outside clients (a paced run's open front doors) next to the generator's: the stream pump
// measures its backlog against the hub, so it never goes negative; the outside events reach the job and
// the Blob even when they arrive after the generator has finished; the hub's IncomingMessages counts
// them; and the generator's reconciliation stays exact without them. The outside client here publishes
// through the namespace's in-process API at set clock times, so the run is deterministic; the e2e test
// (test/e2e/paced.test.ts) does the same over REST and AMQP on a live run.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine/index.js';
import { runPipeline } from '../../engine/pipeline/run.js';
import type { PipelineTarget, RunResult } from '../../engine/ports/pipeline.js';
import { InProcessPublisher } from '../../engine/services/event-hubs/in-process.js';
import { createLocalTarget } from '../../engine/targets/local/target.js';

const TEXT = `name: outside-events
seed: 5
generator: { customers: 60, sessions: 1, historyDays: 10 }
sender: { batchSize: 100, intervalSeconds: 5 }
dataFactory: { sliceMinutes: 2, etlCluster: { fixedSeconds: 10 }, scoringFixedSeconds: 5 }
`;

/** Outside events: customers the generator also has, at a minute of the day the generator never uses (own groups). */
function outsideBatch(first: number, n: number) {
  return Array.from({ length: n }, (_, i) => ({ body: JSON.stringify({ userdatetime: '2017-03-07T07:13:00+00:00', customerid: first + i, category_t1: 1.5, category_t2: 2.5, category_t3: 3.5 }) }));
}

/** Data rows in the job's Blob output (each CSV file has one header line). */
async function blobRows(target: PipelineTarget): Promise<number> {
  const { store, container } = target.objectStore!;
  let rows = 0;
  for (const o of await store.list(container)) {
    const text = new TextDecoder().decode(await store.get(container, o.name));
    for (const line of text.split('\n')) if (line.trim() && !line.startsWith('userdatetime,')) rows++;
  }
  return rows;
}

function column(result: RunResult, name: string): number[] {
  return result.series.rows(1).map((r) => r.values[name]);
}

describe('events from outside clients during a run', () => {
  it('count in the backlog, the hub metrics and the job, never make the backlog negative, and leave the reconciliation exact', async () => {
    const loaded = parseScenario(TEXT, path.join('/tmp', 'outside-events.yaml'));
    const local = await createLocalTarget(loaded.base, loaded);
    try {
      const { host } = local.target;
      const outside = new InProcessPublisher(local.namespace, loaded.base.eventHubs.hubName);
      const start = local.scenario.start;
      // One batch while the generator sends (its batches go at 0, 5 and 10 s) and two after it has
      // finished: before the fix the job's input was ended then, and these two were dropped.
      for (const [atSeconds, first] of [[7, 1], [30, 11], [75, 21]] as const)
        void host.spawn(`outside client @${atSeconds}s`, async () => {
          await host.clock.sleepUntil(start + atSeconds * 1000);
          expect((await outside.publish(outsideBatch(first, 5))).status).toBe('accepted');
        });
      const result = await runPipeline(local.scenario, local.target);

      const r = result.reconciliation;
      expect(r).toMatchObject({ sent: 300, accepted: 300, throttled: 0, dropped: 0, inFlight: 0, unaccounted: 0 });
      expect(r.sent).toBe(r.accepted + r.throttled + r.dropped + r.inFlight);
      // The hub took 15 events from outside; IncomingMessages counts them, AcceptedEvents (the generator's) does not.
      expect(local.namespace.metrics.IncomingMessages - local.ingress.accepted).toBe(15);
      expect(result.series.total('IncomingMessages')).toBe(315);
      expect(result.series.total('AcceptedEvents')).toBe(300);
      // Every event in the hub reached the job and, one row per group, the Blob.
      expect(result.kpis.eventsReachedStream).toBe(315);
      expect(result.series.total('OutgoingMessages')).toBe(315);
      expect(result.series.total('OutputEvents')).toBe(315);
      expect(await blobRows(local.target)).toBe(315);
      // The backlog is measured against the hub: never negative, and empty at the end.
      const backlog = column(result, 'BackloggedInputEvents');
      expect(Math.min(...backlog)).toBe(0);
      expect(backlog[backlog.length - 1]).toBe(0);
      expect(result.latency.notProfiled).toBeGreaterThanOrEqual(0);
    } finally {
      await local.close();
    }
  });

  it('without outside clients a lagging job\'s hub-measured backlog rises, never goes negative and drains to zero', async () => {
    // One 300-event batch at once for a 1 SU job (~142 events/s): a backlog for two seconds.
    const loaded = parseScenario(TEXT.replace('name: outside-events', 'name: backlog').replace('batchSize: 100', 'batchSize: 300'), path.join('/tmp', 'backlog.yaml'));
    const local = await createLocalTarget(loaded.base, loaded);
    try {
      const result = await runPipeline(local.scenario, local.target);
      const backlog = column(result, 'BackloggedInputEvents');
      expect(Math.min(...backlog)).toBe(0);
      expect(Math.max(...backlog)).toBeGreaterThan(0);
      expect(Math.max(...backlog)).toBeLessThanOrEqual(300);
      // It catches up: at the end the hub holds nothing unread, and everything reached the Blob.
      expect(backlog[backlog.length - 1]).toBe(0);
      expect(result.series.total('OutgoingMessages')).toBe(300);
      expect(result.series.total('OutputEvents')).toBe(300);
      expect(result.series.total('IncomingMessages')).toBe(result.series.total('AcceptedEvents'));
    } finally {
      await local.close();
    }
  });
});
