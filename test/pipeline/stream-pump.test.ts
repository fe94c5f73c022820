// The stream pump's backlog and outside-client accounting, on the fixture hub, with and without the
// optional PartitionEnds capability (the hub's last sequence numbers). Outside events are published
// straight to the hub at set clock times, as a client on a paced run's front door would.
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../engine/pipeline/run.js';
import type { PartitionEnds } from '../../engine/pipeline/stream-pump.js';
import type { EventPosition, EventSubscriber, ReceivedEvent } from '../../engine/ports/events.js';
import type { RunResult } from '../../engine/ports/pipeline.js';
import type { FixtureHub } from './fixtures/hub.js';
import { fixtureTarget, scenario, START } from './fixtures/target.js';

/** The fixture hub's subscriber plus its partitions' last sequence numbers. */
class HubWithEnds implements EventSubscriber, PartitionEnds {
  constructor(private readonly hub: FixtureHub) {}
  partitionIds(): Promise<string[]> {
    return this.hub.partitionIds();
  }
  read(partitionId: string, position: EventPosition, max: number): Promise<ReceivedEvent[]> {
    return this.hub.read(partitionId, position, max);
  }
  async lastEnqueuedSequenceNumber(partitionId: string): Promise<number> {
    const log = this.hub.logs[Number(partitionId)];
    return log.length ? log[log.length - 1].sequenceNumber : -1;
  }
  close(): Promise<void> {
    return this.hub.close();
  }
}

async function runWithOutside(withEnds: boolean): Promise<{ result: RunResult; stored: number }> {
  const s = scenario({ customers: 60 });
  const { target, hub, host } = fixtureTarget(s);
  if (withEnds) target.subscriber = new HubWithEnds(hub);
  // 50 events while session 0 sends, 50 after every sender has finished (sessions at 0 and 15 min).
  for (const atMs of [20_000, 25 * 60_000])
    void host.spawn(`outside @${atMs}`, async () => {
      await host.clock.sleepUntil(START + atMs);
      const body = JSON.stringify({ customerid: 1, category_t1: 1, category_t2: 0, category_t3: 0 });
      expect((await hub.publish(Array.from({ length: 50 }, () => ({ body })))).status).toBe('accepted');
    });
  const result = await runPipeline(s, target);
  return { result, stored: hub.storedTotal };
}

describe('stream pump with events from outside clients', () => {
  for (const withEnds of [true, false])
    it(`${withEnds ? 'with' : 'without'} the hub's partition ends: backlog never negative, outside events in IncomingMessages, reconciliation exact`, async () => {
      const { result, stored } = await runWithOutside(withEnds);
      const r = result.reconciliation;
      expect(r.unaccounted).toBe(0);
      expect(stored).toBe(r.accepted + 100);
      const backlog = result.series.rows(1).map((row) => row.values.BackloggedInputEvents);
      expect(Math.min(...backlog)).toBeGreaterThanOrEqual(0);
      expect(backlog[backlog.length - 1]).toBe(0);
      expect(result.series.total('AcceptedEvents')).toBe(r.accepted);
      expect(result.series.total('IncomingMessages')).toBe(r.accepted + 100);
      expect(result.kpis.eventsReachedStream).toBe(r.accepted + 100);
    });
});
