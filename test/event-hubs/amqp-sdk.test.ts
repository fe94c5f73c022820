// The AMQP front door driven by the real @azure/event-hubs 6 SDK with UseDevelopmentEmulator=true.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rhea from 'rhea';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition, latestEventPosition, type EventPosition, type ReceivedEventData } from '@azure/event-hubs';
import { mapPartitionKeyToId } from '../../engine/services/event-hubs/model/partition-key.js';
import type { RunningEmulator } from '../../engine/services/event-hubs/emulator.js';
import { quickRetry, receiveWithSdk, startTestEmulator, waitFor } from './helpers.js';

let emu: RunningEmulator;
let producer: EventHubProducerClient;

beforeAll(async () => {
  emu = await startTestEmulator();
  producer = new EventHubProducerClient(emu.connectionString, 'eh1', { retryOptions: quickRetry });
});
afterAll(async () => {
  await producer?.close();
  await emu?.close();
});

/** Receives from one partition of eh1 until `count` events arrived (the SDK delivering at most 50 per batch). */
function receive(partitionId: string, startPosition: EventPosition, count: number, consumerGroup = '$Default'): Promise<ReceivedEventData[]> {
  return receiveWithSdk(emu.connectionString, 'eh1', partitionId, startPosition, count, { consumerGroup, maxBatchSize: 50, timeoutMs: 15_000 });
}

describe('@azure/event-hubs against the emulator', () => {
  it('reads hub and partition properties', async () => {
    const props = await producer.getEventHubProperties();
    expect(props.name).toBe('eh1');
    expect(props.partitionIds).toEqual(['0', '1', '2', '3']);
    expect(props.createdOn).toBeInstanceOf(Date);
    const p = await producer.getPartitionProperties('3');
    expect(p).toMatchObject({ eventHubName: 'eh1', partitionId: '3', beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: -1, isEmpty: true });
  });

  it('sends batches by partition key and by partition id to the right partitions', async () => {
    const keyed = await producer.createBatch({ partitionKey: 'customer-42' });
    expect(keyed.maxSizeInBytes).toBe(1048576);
    for (let i = 0; i < 10; i++) expect(keyed.tryAdd({ body: { i } })).toBe(true);
    await producer.sendBatch(keyed);
    const expected = String(mapPartitionKeyToId('customer-42', 4));
    const kp = await producer.getPartitionProperties(expected);
    expect(kp.lastEnqueuedSequenceNumber).toBe(9);
    const byId = await producer.createBatch({ partitionId: '2' });
    byId.tryAdd({ body: 'to-two' });
    await producer.sendBatch(byId);
    await producer.sendBatch([{ body: 'array-to-two' }], { partitionId: '2' });
    const p2 = await producer.getPartitionProperties('2');
    expect(p2.lastEnqueuedSequenceNumber - p2.beginningSequenceNumber).toBeGreaterThanOrEqual(1);
    const events = emu.namespace.hub('eh1')!.partition(expected)!.readFrom(0, 100);
    expect(events.every((e) => e.partitionKey === 'customer-42')).toBe(true);
  });

  it('delivers every event exactly once from earliest, latest, an offset and a sequence number, with types preserved', async () => {
    const when = new Date(Date.UTC(2017, 0, 1, 6));
    const batch = await producer.createBatch({ partitionId: '1' });
    for (let i = 0; i < 20; i++)
      batch.tryAdd({ body: { customerid: i, category_t1: 700.5 }, properties: { n: i, neg: -7, f: 1.25, s: 'text', b: true, when }, messageId: `m-${i}` });
    await producer.sendBatch(batch);

    const all = await receive('1', earliestEventPosition, 20);
    expect(all.map((e) => e.sequenceNumber)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const e5 = all[5];
    expect(e5.body).toEqual({ customerid: 5, category_t1: 700.5 });
    // the SDK itself turns received timestamps into numbers (convertDatesToNumbers in eventData.ts)
    expect(e5.properties).toEqual({ n: 5, neg: -7, f: 1.25, s: 'text', b: true, when: when.getTime() });
    expect(e5.messageId).toBe('m-5');
    expect(e5.partitionKey).toBeUndefined();
    expect(e5.enqueuedTimeUtc).toBeInstanceOf(Date);
    expect(Number(e5.offset)).toBeGreaterThan(Number(all[4].offset));
    expect(e5.systemProperties ?? {}).not.toHaveProperty('x-opt-sequence-number');

    const fromSeq = await receive('1', { sequenceNumber: 14 }, 5);
    expect(fromSeq.map((e) => e.sequenceNumber)).toEqual([15, 16, 17, 18, 19]);
    const fromOffset = await receive('1', { offset: all[17].offset }, 2);
    expect(fromOffset.map((e) => e.sequenceNumber)).toEqual([18, 19]);
    const inclusive = await receive('1', { sequenceNumber: 18, isInclusive: true }, 2);
    expect(inclusive.map((e) => e.sequenceNumber)).toEqual([18, 19]);

    // latest: only what is sent after the receiver attached
    const consumer = new EventHubConsumerClient('cg1', emu.connectionString, 'eh1');
    const got: ReceivedEventData[] = [];
    const sub = consumer.subscribe('1', { processEvents: async (ev) => void got.push(...ev), processError: async () => {} }, { startPosition: latestEventPosition, maxWaitTimeInSeconds: 0.2 });
    await waitFor(() => emu.activeConsumers() === 1, 5000, 'the consumer link');
    await producer.sendBatch([{ body: 'after' }], { partitionId: '1' });
    await waitFor(() => got.length >= 1, 10_000, 'latest event');
    await new Promise((r) => setTimeout(r, 300));
    await sub.close();
    await consumer.close();
    expect(got.map((e) => e.body)).toEqual(['after']);
    expect(got[0].sequenceNumber).toBe(20);
  });

  it('fails with the SDK auth error for a wrong key', async () => {
    const bad = emu.connectionString.replace('SAS_KEY_VALUE', 'WRONG_KEY');
    const client = new EventHubProducerClient(bad, 'eh1', { retryOptions: { ...quickRetry, maxRetries: 0 } });
    try {
      await expect(client.getEventHubProperties()).rejects.toMatchObject({ code: 'UnauthorizedError' });
    } finally {
      await client.close();
    }
  });

  it('refuses an oversize event with the message-size error and unknown entities with not-found', async () => {
    await expect(producer.sendBatch([{ body: 'x'.repeat(1100 * 1024) }], { partitionId: '0' })).rejects.toMatchObject({ code: 'MessageTooLargeError' });
    const ghost = new EventHubProducerClient(emu.connectionString, 'nohub', { retryOptions: quickRetry });
    try {
      await expect(ghost.sendBatch([{ body: 1 }])).rejects.toMatchObject({ code: 'MessagingEntityNotFoundError' });
    } finally {
      await ghost.close();
    }
    expect(emu.namespace.metrics.UserErrors).toBeGreaterThan(0);
  });

  it('refuses idempotent publishing clearly instead of half-supporting it', async () => {
    // a raw rhea client asking for the capability the JS SDK's idempotent mode asks for
    const open = await startTestEmulator({ auth: 'accept-any' }, { httpPort: null });
    try {
      const error = await new Promise<{ condition: string; description: string }>((resolve, reject) => {
        const conn = rhea.create_container().connect({ host: '127.0.0.1', port: open.amqpPort!, reconnect: false } as never);
        const sender = conn.open_sender({ target: { address: 'eh1' }, desired_capabilities: ['com.microsoft:idempotent-producer'] } as never);
        sender.on('sender_error', (ctx) => {
          resolve(ctx.sender!.error as unknown as { condition: string; description: string });
          conn.close();
        });
        sender.on('sendable', () => reject(new Error('the link was accepted')));
        setTimeout(() => reject(new Error('no answer')), 10_000);
      });
      expect(error).toMatchObject({ condition: 'amqp:not-implemented', description: expect.stringMatching(/Idempotent publishing/) });
    } finally {
      await open.close();
    }
  });
});

describe('throttling over AMQP', () => {
  it('rejects with ServerBusy over the TU limit and the SDK retry succeeds once capacity frees', async () => {
    const tu = await startTestEmulator({ throughputUnits: 1 });
    const p = new EventHubProducerClient(tu.connectionString, 'customer360', { retryOptions: { maxRetries: 8, retryDelayInMs: 500, timeoutInMs: 5000 } });
    try {
      // 2,500 events put the 1-second running total 1,500 over the 1 TU allowance: ~1.5 s of ServerBusy
      const events = Array.from({ length: 2500 }, (_, i) => ({ body: { customerid: i, category_t1: 10 } }));
      await p.sendBatch(events, { partitionId: '0' });
      await p.sendBatch(events, { partitionId: '0' }); // throttled at first, then retried by the SDK
      expect(tu.namespace.metrics.ThrottledRequests).toBeGreaterThanOrEqual(1);
      expect(tu.namespace.metrics.SuccessfulRequests).toBe(2);
      expect((await p.getPartitionProperties('0')).lastEnqueuedSequenceNumber).toBe(4999);

      const noRetry = new EventHubProducerClient(tu.connectionString, 'customer360', { retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
      try {
        await noRetry.sendBatch(events, { partitionId: '1' }).catch(() => {});
        await expect(noRetry.sendBatch(events, { partitionId: '1' })).rejects.toMatchObject({ code: 'ServerBusyError', retryable: true });
      } finally {
        await noRetry.close();
      }
    } finally {
      await p.close();
      await tu.close();
    }
  });
});
