// Consumer-side rules with the real JS SDK: owner levels (epochs), the 5-receiver quota, runtime
// metrics, unknown consumer groups and out-of-range sequence numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition, type Subscription, type SubscribeOptions } from '@azure/event-hubs';
import type { RunningEmulator } from '../../engine/services/event-hubs/emulator.js';
import { quickRetry, startTestEmulator, waitFor } from './helpers.js';

let emu: RunningEmulator;
const open: { client: EventHubConsumerClient; sub: Subscription }[] = [];

beforeAll(async () => {
  emu = await startTestEmulator();
  const p = new EventHubProducerClient(emu.connectionString, 'eh1');
  await p.sendBatch(Array.from({ length: 5 }, (_, i) => ({ body: i })), { partitionId: '0' });
  await p.close();
});
afterAll(async () => {
  for (const o of open) {
    await o.sub.close().catch(() => {});
    await o.client.close().catch(() => {});
  }
  await emu?.close();
});

function subscribe(partitionId: string, options: SubscribeOptions, group = '$Default') {
  const client = new EventHubConsumerClient(group, emu.connectionString, 'eh1', { retryOptions: { ...quickRetry, maxRetries: 0 } });
  const state = { events: 0, errors: [] as { code?: string; message: string }[], lastEnqueued: undefined as unknown };
  const sub = client.subscribe(
    partitionId,
    {
      processEvents: async (events, context) => {
        state.events += events.length;
        state.lastEnqueued = context.lastEnqueuedEventProperties;
      },
      processError: async (err) => {
        state.errors.push(err as { code?: string; message: string });
      },
    },
    { maxWaitTimeInSeconds: 0.2, ...options },
  );
  open.push({ client, sub });
  return state;
}

describe('consumer links', () => {
  it('lets a higher owner level take over and refuses a lower one', async () => {
    const a = subscribe('1', { ownerLevel: 1, startPosition: earliestEventPosition });
    await waitFor(() => emu.activeConsumers() === 1, 10_000, 'receiver A');
    const b = subscribe('1', { ownerLevel: 2, startPosition: earliestEventPosition });
    await waitFor(() => a.errors.length > 0, 10_000, 'A to be disconnected');
    expect(a.errors[0]).toMatchObject({ code: 'ReceiverDisconnectedError' });
    expect(a.errors[0].message).toMatch(/higher epoch of '2'/);
    const c = subscribe('1', { ownerLevel: 1, startPosition: earliestEventPosition });
    await waitFor(() => c.errors.length > 0, 10_000, 'C to be refused');
    expect(c.errors[0]).toMatchObject({ code: 'ReceiverDisconnectedError' });
    expect(b.errors).toEqual([]);
  });

  it('allows 5 receivers without owner level per partition and group, refuses the 6th', async () => {
    const states = [];
    for (let i = 0; i < 5; i++) states.push(subscribe('2', { startPosition: earliestEventPosition }, 'cg1'));
    await waitFor(() => emu.activeConsumers() >= 6, 15_000, 'five receivers');
    const sixth = subscribe('2', { startPosition: earliestEventPosition }, 'cg1');
    await waitFor(() => sixth.errors.length > 0, 10_000, 'the 6th receiver to be refused');
    expect(sixth.errors[0]).toMatchObject({ code: 'QuotaExceededError' });
    expect(states.every((s) => s.errors.length === 0)).toBe(true);
  });

  it('reports last-enqueued properties when asked, and refuses unknown groups and sequence numbers past the end', async () => {
    const tracked = subscribe('0', { startPosition: earliestEventPosition, trackLastEnqueuedEventProperties: true });
    await waitFor(() => tracked.events >= 5, 10_000, 'tracked events');
    expect(tracked.lastEnqueued).toMatchObject({ sequenceNumber: 4, offset: expect.any(String) });
    expect((tracked.lastEnqueued as { enqueuedOn: Date }).enqueuedOn).toBeInstanceOf(Date);

    const ghost = subscribe('0', { startPosition: earliestEventPosition }, 'nogroup');
    await waitFor(() => ghost.errors.length > 0, 10_000, 'unknown group error');
    expect(ghost.errors[0]).toMatchObject({ code: 'MessagingEntityNotFoundError' });

    const past = subscribe('0', { startPosition: { sequenceNumber: 99 } });
    await waitFor(() => past.errors.length > 0, 10_000, 'out-of-range error');
    expect(past.errors[0]).toMatchObject({ code: 'ArgumentOutOfRangeError' });
    expect(past.errors[0].message).toMatch(/The supplied sequence number '99' is invalid. The last sequence number in the system is '4'/);
  });
});

describe('egress under throughput units', () => {
  it('paces deliveries at 4,096 events/s per TU without errors', async () => {
    const tu = await startTestEmulator({ throughputUnits: 1 });
    try {
      // Fill the log directly (ingress would be throttled at 1,000 events/s): 10,000 small events.
      const log = tu.namespace.hub('eh1')!.partition('0')!;
      const { encodeEvent } = await import('../../engine/services/event-hubs/model/event-bytes.js');
      log.append(Array.from({ length: 10_000 }, (_, i) => ({ bytes: encodeEvent({ body: String(i) }) })), Date.now());
      const client = new EventHubConsumerClient('$Default', tu.connectionString, 'eh1');
      let received = 0;
      const errors: unknown[] = [];
      const t0 = performance.now();
      const sub = client.subscribe('0', { processEvents: async (ev) => void (received += ev.length), processError: async (e) => void errors.push(e) }, { startPosition: earliestEventPosition, maxBatchSize: 1000, maxWaitTimeInSeconds: 0.2 });
      await waitFor(() => received >= 10_000, 30_000, '10,000 events');
      const elapsed = performance.now() - t0;
      await sub.close();
      await client.close();
      // the first second's allowance is 4,096 events; the other 5,904 need at least 1.44 s more
      expect(elapsed).toBeGreaterThan(1400);
      expect(errors).toEqual([]);
      expect(tu.namespace.metrics.OutgoingMessages).toBe(10_000);
    } finally {
      await tu.close();
    }
  });
});
