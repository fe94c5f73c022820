// The Event Hubs model on a manual clock: partition logs, positions, routing, TU throttling,
// size limits, retention, checkpoints, and the byte-level event splicing consumers see.
import { describe, expect, it } from 'vitest';
import rhea from 'rhea';
import { mapPartitionKeyToId as sdkMapper } from '../../node_modules/@azure/event-hubs/dist/esm/impl/partitionKeyToIdMapper.js';
import type { Clock } from '../../engine/ports/clock.js';
import { defaultNamespaceConfig, type NamespaceConfig } from '../../engine/services/event-hubs/model/config.js';
import { EventHubsNamespace } from '../../engine/services/event-hubs/model/namespace.js';
import { mapPartitionKeyToId } from '../../engine/services/event-hubs/model/partition-key.js';
import { encodeEvent, splitBatch, splitSections, withServiceAnnotations } from '../../engine/services/event-hubs/model/event-bytes.js';
import { InProcessPublisher, InProcessSubscriber } from '../../engine/services/event-hubs/in-process.js';
import { createSasToken, validateSasToken } from '../../engine/services/event-hubs/model/sas.js';
import { Random } from '../../engine/core/random.js';

class ManualClock implements Clock {
  constructor(public t = Date.UTC(2017, 0, 1, 6)) {}
  now() {
    return this.t;
  }
  async sleepUntil(at: number) {
    this.t = Math.max(this.t, at);
  }
}

function ns(overrides: Partial<NamespaceConfig> = {}, clock = new ManualClock()) {
  return { clock, ns: new EventHubsNamespace({ ...defaultNamespaceConfig(), ...overrides }, clock) };
}

const body = (i: number) => JSON.stringify({ userdatetime: '2017-01-01 06:00:00', customerid: i, category_t1: 700, category_t2: 10, category_t3: 15 });

describe('partition-key hashing', () => {
  it('matches the SDK mapper for many keys and partition counts', () => {
    const rnd = new Random(7);
    for (let i = 0; i < 2000; i++) {
      const len = rnd.int(0, 40);
      let key = '';
      for (let j = 0; j < len; j++) key += String.fromCharCode(rnd.int(32, 0x24ff));
      const n = rnd.int(1, 33);
      expect(mapPartitionKeyToId(key, n)).toBe(sdkMapper(key, n));
    }
  });
});

describe('publish and read in-process', () => {
  it('assigns sequence numbers, byte offsets and clock times, and reads from every position kind', async () => {
    const { ns: n, clock } = ns();
    const pub = new InProcessPublisher(n, 'customer360');
    const sub = new InProcessSubscriber(n, 'customer360');
    const r1 = await pub.publish([{ body: body(1) }, { body: body(2), properties: { n: 5, f: 1.5, s: 'x', b: true } }], { partitionId: '1' });
    expect(r1).toMatchObject({ status: 'accepted', partitionId: '1', count: 2 });
    clock.t += 1000;
    await pub.publish([{ body: body(3) }], { partitionId: '1' });
    const all = await sub.read('1', { kind: 'earliest' }, 10);
    expect(all.map((e) => e.sequenceNumber)).toEqual([0, 1, 2]);
    expect(Number(all[1].offset)).toBeGreaterThan(0);
    expect(Number(all[2].offset)).toBe(Number(all[1].offset) + encodeEvent({ body: body(2), properties: { n: 5, f: 1.5, s: 'x', b: true } }).length);
    expect(all[2].enqueuedTime - all[0].enqueuedTime).toBe(1000);
    expect(all[1].properties).toEqual({ n: 5, f: 1.5, s: 'x', b: true });
    expect(Buffer.from(all[0].body).toString()).toBe(body(1));
    expect((await sub.read('1', { kind: 'latest' }, 10)).length).toBe(0);
    expect((await sub.read('1', { kind: 'sequence', sequenceNumber: 0 }, 10)).map((e) => e.sequenceNumber)).toEqual([1, 2]);
    expect((await sub.read('1', { kind: 'sequence', sequenceNumber: 1, inclusive: true }, 10)).map((e) => e.sequenceNumber)).toEqual([1, 2]);
    expect((await sub.read('1', { kind: 'offset', offset: all[1].offset }, 10)).map((e) => e.sequenceNumber)).toEqual([2]);
    expect((await sub.read('1', { kind: 'offset', offset: '-1' }, 10)).length).toBe(3);
    expect((await sub.read('1', { kind: 'enqueuedTime', at: all[0].enqueuedTime }, 10)).map((e) => e.sequenceNumber)).toEqual([2]);
    expect(n.partitionProperties('customer360', '1')).toMatchObject({ lastEnqueuedSequenceNumber: 2, lastEnqueuedOffset: all[2].offset, isEmpty: false });
    expect(n.partitionProperties('customer360', '0')).toMatchObject({ beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: -1, lastEnqueuedOffset: '-1', isEmpty: true });
    expect(n.metrics).toMatchObject({ IncomingRequests: 2, SuccessfulRequests: 2, IncomingMessages: 3, OutgoingMessages: 3 + 0 + 2 + 2 + 1 + 3 + 1 });
  });

  it('routes keyed events by the service hash and keyless batches round-robin', async () => {
    const { ns: n } = ns({ hubs: [{ name: 'h', partitionCount: 4, consumerGroups: [], retentionMs: 1e9 }] });
    const pub = new InProcessPublisher(n, 'h');
    for (const key of ['a', 'customer-17', 'zz']) {
      const r = await pub.publish([{ body: 'x', partitionKey: key }]);
      expect(r).toMatchObject({ status: 'accepted', partitionId: String(sdkMapper(key, 4)) });
    }
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(((await pub.publish([{ body: 'x' }, { body: 'y' }])) as { partitionId: string }).partitionId);
    expect(new Set(ids).size).toBe(4);
  });

  it('refuses unknown hubs, partitions and consumer groups with clear errors', async () => {
    const { ns: n } = ns();
    expect(() => new InProcessSubscriber(n, 'nope')).toThrow(/event hub 'nope' does not exist/);
    expect(() => new InProcessSubscriber(n, 'customer360', 'cgx')).toThrow(/consumer group 'cgx'/);
    expect(n.publish('customer360', [{ bytes: encodeEvent({ body: 'x' }) }], { partitionId: '7' })).toMatchObject({ ok: false, error: 'not-found' });
    expect(new InProcessSubscriber(n, 'customer360', '$default').consumerGroup).toBe('$default');
  });
});

describe('throughput units', () => {
  it('throttles ingress over the window allowance and admits again once it drains', () => {
    const { ns: n, clock } = ns({ throughputUnits: 1 });
    const batch = Array.from({ length: 1675 }, (_, i) => ({ body: body(i) }));
    const pub = new InProcessPublisher(n, 'customer360');
    expect(pub.publishSync(batch).status).toBe('accepted'); // a burst after a quiet spell goes through
    const second = pub.publishSync(batch);
    expect(second).toMatchObject({ status: 'throttled' });
    expect((second as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(600);
    clock.t += 600;
    expect(pub.publishSync(batch).status).toBe('throttled'); // 1675 - 600 = 1075 still over 1000
    clock.t += 100;
    expect(pub.publishSync(batch).status).toBe('accepted');
    expect(n.metrics).toMatchObject({ IncomingRequests: 4, SuccessfulRequests: 2, ThrottledRequests: 2, IncomingMessages: 3350 });
  });

  it('has no throttling without a TU setting', () => {
    const { ns: n } = ns();
    const pub = new InProcessPublisher(n, 'customer360');
    const batch = Array.from({ length: 1675 }, (_, i) => ({ body: body(i) }));
    for (let i = 0; i < 10; i++) expect(pub.publishSync(batch).status).toBe('accepted');
  });

  it('caps egress at 4096 events/s per TU without errors', () => {
    const { ns: n, clock } = ns({ throughputUnits: 1 });
    const pub = new InProcessPublisher(n, 'customer360');
    for (let i = 0; i < 6; i++) {
      pub.publishSync(Array.from({ length: 1000 }, () => ({ body: 'e' })), { partitionId: '0' });
      clock.t += 1000;
    }
    const sub = new InProcessSubscriber(n, 'customer360');
    expect(sub.readSync('0', { kind: 'earliest' }, 6000).length).toBe(4096);
    clock.t += 250;
    expect(sub.readSync('0', { kind: 'sequence', sequenceNumber: 4095 }, 6000).length).toBe(1024);
  });

  it('refuses publications over the tier limit (1 MB standard, 256 KB basic)', () => {
    const big = [{ body: 'x'.repeat(300 * 1024) }];
    expect(new InProcessPublisher(ns().ns, 'customer360').publishSync(big).status).toBe('accepted');
    const basic = new InProcessPublisher(ns({ tier: 'basic' }).ns, 'customer360').publishSync(big);
    expect(basic).toMatchObject({ status: 'rejected' });
    expect((basic as { reason: string }).reason).toMatch(/exceeds the limit \(262144 bytes\)/);
  });
});

describe('retention and checkpoints', () => {
  it('drops events older than the retention and advances the beginning sequence number', async () => {
    const { ns: n, clock } = ns({ hubs: [{ name: 'h', partitionCount: 1, consumerGroups: ['cg1'], retentionMs: 3_600_000 }] });
    const pub = new InProcessPublisher(n, 'h');
    await pub.publish([{ body: 'old' }]);
    clock.t += 3_600_001;
    await pub.publish([{ body: 'new' }]);
    expect(n.partitionProperties('h', '0')).toMatchObject({ beginningSequenceNumber: 1, lastEnqueuedSequenceNumber: 1 });
    const sub = new InProcessSubscriber(n, 'h', 'CG1');
    const [e] = await sub.read('0', { kind: 'earliest' }, 10);
    expect(e.sequenceNumber).toBe(1);
    sub.checkpoint('0', e);
    expect(sub.resumePosition('0')).toEqual({ kind: 'sequence', sequenceNumber: 1 });
    expect(n.listCheckpoints('h', 'cg1')).toHaveLength(1);
  });
});

describe('event bytes', () => {
  it('splices service annotations while keeping the producer sections byte for byte', () => {
    // An event as the JS SDK encodes it: int-typed property, partition key annotation, JSON body.
    const producer = rhea.message.encode({
      message_annotations: { 'x-opt-partition-key': 'k1', 'custom-annotation': rhea.types.wrap_int(3) },
      application_properties: { n: rhea.types.wrap_int(5), b: true },
      body: rhea.message.data_section(Buffer.from('{"a":1}')),
    });
    const out = withServiceAnnotations(producer, { sequenceNumber: 42, offset: 1234, enqueuedTime: 1700000000000, partitionKey: 'k1' });
    const decoded = rhea.message.decode(out);
    expect(decoded.message_annotations).toMatchObject({ 'x-opt-sequence-number': 42, 'x-opt-offset': '1234', 'x-opt-partition-key': 'k1', 'custom-annotation': 3 });
    expect((decoded.message_annotations as Record<string, unknown>)['x-opt-enqueued-time']).toEqual(new Date(1700000000000));
    // sequence number is a long (0x81), not a ulong
    const seqAt = out.indexOf(Buffer.from('x-opt-sequence-number')) + 'x-opt-sequence-number'.length;
    expect(out[seqAt]).toBe(0x81);
    const appIn = splitSections(producer).find((s) => s.code === 0x74)!;
    const appOut = splitSections(out).find((s) => s.code === 0x74)!;
    expect(out.subarray(appOut.start, appOut.end).equals(producer.subarray(appIn.start, appIn.end))).toBe(true);
  });

  it('splits a batched transfer into its events', () => {
    const events = [encodeEvent({ body: 'a' }), encodeEvent({ body: 'b'.repeat(300), properties: { k: 1 } })];
    const envelope = rhea.message.encode({ message_annotations: {}, body: rhea.message.data_sections(events) });
    const { events: got } = splitBatch(envelope);
    expect(got.map((b) => Buffer.from(b).toString('hex'))).toEqual(events.map((b) => b.toString('hex')));
    expect(() => splitSections(Buffer.from([0x00, 0x53, 0x75, 0xb0, 0, 0, 0, 9]))).toThrow(/truncated/);
  });
});

describe('SAS tokens', () => {
  it('validates the spec worked example and rejects a wrong key or an expired token', () => {
    const policy = { name: 'RootManageSharedAccessKey', key: 'SAS_KEY_VALUE' };
    const token = createSasToken('sb://localhost/eh1', policy, 1700000000);
    expect(token).toBe('SharedAccessSignature sr=sb%3A%2F%2Flocalhost%2Feh1&sig=bXwnzzxeV2PFlM%2BGaXaWproC2URqPYHFIhvxuIqXTAA%3D&se=1700000000&skn=RootManageSharedAccessKey');
    expect(validateSasToken(token, [policy], 1699999000_000)).toMatchObject({ ok: true, resource: 'sb://localhost/eh1' });
    expect(validateSasToken(token, [{ ...policy, key: 'other' }], 1699999000_000)).toMatchObject({ ok: false, reason: /invalid signature/ });
    expect(validateSasToken(token, [policy], 1800000000_000)).toMatchObject({ ok: false, reason: /expired/ });
  });
});
