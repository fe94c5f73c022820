// The REST send API, driven with fetch the way the original generator and k6 call it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { earliestEventPosition } from '@azure/event-hubs';
import { createSasToken } from '../../engine/services/event-hubs/model/sas.js';
import { mapPartitionKeyToId } from '../../engine/services/event-hubs/model/partition-key.js';
import type { RunningEmulator } from '../../engine/services/event-hubs/emulator.js';
import { receiveWithSdk, startTestEmulator } from './helpers.js';
import { Random } from '../../engine/core/random.js';

const policy = { name: 'RootManageSharedAccessKey', key: 'SAS_KEY_VALUE' };
const token = (resource = 'https://emulatorns1.servicebus.windows.net/') => createSasToken(resource, policy, Math.floor(Date.now() / 1000) + 3600);
const BATCH = 'application/vnd.microsoft.servicebus.json';

/** 1,675 messages in the original generator's shape (DESIGN §1: browsing seconds per category). */
function originalBatch(seed = 1): { Body: string }[] {
  const rnd = new Random(seed);
  const secs = (mu: number, sigma: number) => Math.abs(Math.round(rnd.normal(mu, sigma)));
  return Array.from({ length: 1675 }, (_, i) => {
    const customerid = (i * 7) % 6000 + 1;
    const g1 = customerid <= 1000;
    const g4 = customerid > 3000 && customerid <= 4000;
    const msg = {
      userdatetime: '2017-01-01 06:00:00',
      customerid,
      category_t1: g1 ? secs(700, 50) : secs(10, 10),
      category_t2: g4 ? secs(1000, 50) : secs(10, 10),
      category_t3: g4 ? secs(650, 10) : secs(15, 10),
    };
    return { Body: JSON.stringify(msg) };
  });
}

function post(emu: RunningEmulator, p: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${emu.restBaseUrl}${p}`, { method: 'POST', body, headers: { Authorization: token(), 'Content-Type': BATCH, ...headers } });
}

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});

describe('REST send API', () => {
  it('accepts a batch of 1,675 original-shape messages (201), counts it, and serves it over AMQP', async () => {
    const batch = originalBatch();
    const res = await post(emu, '/customer360/messages?timeout=60&api-version=2014-01', JSON.stringify(batch));
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('');
    expect(emu.namespace.metrics).toMatchObject({ IncomingMessages: 1675, SuccessfulRequests: 1 });
    const counts = ['0', '1'].map((p) => emu.namespace.partitionProperties('customer360', p)!.lastEnqueuedSequenceNumber + 1);
    expect(counts[0] + counts[1]).toBe(1675);
    const pid = counts[0] ? '0' : '1';
    const got = await receiveWithSdk(emu.connectionString, 'customer360', pid, earliestEventPosition, 1675);
    expect(got).toHaveLength(1675);
    expect(got.map((e) => e.body)).toEqual(batch.map((b) => JSON.parse(b.Body)));
  });

  it('routes single events by BrokerProperties, partitions and publishers, with headers as properties', async () => {
    const r1 = await post(emu, '/eh1/messages', '{"x":1}', { 'Content-Type': 'application/atom+xml;type=entry;charset=utf-8', BrokerProperties: '{"PartitionKey":"k-9"}', WindAlert: 'Strong Winds' });
    expect(r1.status).toBe(201);
    const p = String(mapPartitionKeyToId('k-9', 4));
    const [ev] = await receiveWithSdk(emu.connectionString, 'eh1', p, earliestEventPosition, 1);
    expect(ev.partitionKey).toBe('k-9');
    expect(ev.properties).toMatchObject({ windalert: 'Strong Winds' });
    expect((await post(emu, '/EH1/Partitions/3/messages', 'raw', { 'Content-Type': 'text/plain' })).status).toBe(201);
    expect(emu.namespace.partitionProperties('eh1', '3')!.lastEnqueuedSequenceNumber).toBe(0);
    expect((await post(emu, '/eh1/publishers/device-7/messages', 'p', { 'Content-Type': 'text/plain' })).status).toBe(201);
    const pp = String(mapPartitionKeyToId('device-7', 4));
    expect(emu.namespace.hub('eh1')!.partition(pp)!.last!.partitionKey).toBe('device-7');
    const items = [{ Body: 'a', UserProperties: { n: 5, f: 0.5, s: 'x', b: false }, BrokerProperties: { PartitionKey: 'z' } }];
    expect((await post(emu, '/eh1/messages', JSON.stringify(items))).status).toBe(201);
    const zp = String(mapPartitionKeyToId('z', 4));
    const inZp = emu.namespace.partitionProperties('eh1', zp)!.lastEnqueuedSequenceNumber + 1;
    const got = await receiveWithSdk(emu.connectionString, 'eh1', zp, earliestEventPosition, inZp);
    // a body that is not JSON reaches the SDK as bytes
    expect(got.find((e) => Buffer.isBuffer(e.body) && e.body.toString() === 'a')?.properties).toEqual({ n: 5, f: 0.5, s: 'x', b: false });
  });

  it('refuses missing or wrong credentials (401), unknown hubs (404), bad JSON (400) and oversize bodies (413)', async () => {
    const none = await fetch(`${emu.restBaseUrl}/eh1/messages`, { method: 'POST', body: 'x' });
    expect(none.status).toBe(401);
    const wrong = await post(emu, '/eh1/messages', 'x', { Authorization: createSasToken('sb://x/eh1', { ...policy, key: 'nope' }, 2e9) });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toMatch(/<Error><Code>401<\/Code><Detail>InvalidSignature/);
    const otherHub = await post(emu, '/eh1/messages', 'x', { Authorization: token('sb://localhost/customer360') });
    expect(otherHub.status).toBe(401);
    expect((await post(emu, '/nohub/messages', '[]')).status).toBe(404);
    const bad = await post(emu, '/eh1/messages', '[{"Body": "a"}, {"NoBody": 1}]');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/item 1: missing "Body"/);
    const big = await post(emu, '/eh1/messages', JSON.stringify([{ Body: 'x'.repeat(1024 * 1024) }]));
    expect(big.status).toBe(413);
    const health = await fetch(`${emu.restBaseUrl}/health`);
    expect(await health.json()).toEqual({ status: 'healthy', message: 'Service is healthy.' });
  });
});

describe('REST under throttling', () => {
  it('answers rapid 1,675-message batches with 503 ServerBusy past 1 TU, and exactly the accepted ones are readable', async () => {
    const tu = await startTestEmulator({ throughputUnits: 1 });
    try {
      const body = JSON.stringify(originalBatch());
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await post(tu, '/customer360/messages', body);
        statuses.push(res.status);
        if (res.status === 503) {
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(await res.text()).toMatch(/throttled/);
        } else await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 100));
      }
      const accepted = statuses.filter((s) => s === 201).length;
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      expect(accepted).toBeGreaterThanOrEqual(1);
      expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);
      expect(tu.namespace.metrics).toMatchObject({ IncomingMessages: accepted * 1675, ThrottledRequests: 8 - accepted });
      let total = 0;
      for (const p of ['0', '1']) {
        const n = tu.namespace.partitionProperties('customer360', p)!.lastEnqueuedSequenceNumber + 1;
        if (n) total += (await receiveWithSdk(tu.connectionString, 'customer360', p, earliestEventPosition, n, { timeoutMs: 30_000 })).length;
      }
      expect(total).toBe(accepted * 1675);
    } finally {
      await tu.close();
    }
  });
});
