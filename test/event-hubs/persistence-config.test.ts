// Recovery from a data directory (torn tails, checkpoints) and the two config file shapes.
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../engine/ports/clock.js';
import { defaultNamespaceConfig, loadNamespaceConfig, parseNamespaceConfig } from '../../engine/services/event-hubs/model/config.js';
import { EventHubsNamespace } from '../../engine/services/event-hubs/model/namespace.js';
import { openDataDir } from '../../engine/services/event-hubs/persistence.js';
import { InProcessPublisher, InProcessSubscriber } from '../../engine/services/event-hubs/in-process.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'c360-eh-persist-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const clock: Clock = { now: () => Date.UTC(2026, 0, 1), sleepUntil: async () => {} };

describe('data directory', () => {
  it('recovers events, keys, times and checkpoints, and cuts a torn record at the end', async () => {
    const dir = path.join(tmp, 'd1');
    const ns1 = new EventHubsNamespace(defaultNamespaceConfig(), clock);
    const store1 = openDataDir(dir, ns1);
    const pub = new InProcessPublisher(ns1, 'customer360');
    await pub.publish([{ body: 'a', partitionKey: 'k' }, { body: 'b', partitionKey: 'k', properties: { n: 1 } }]);
    await pub.publish([{ body: 'c' }], { partitionId: '0' });
    ns1.setCheckpoint('customer360', '$default', '0', { offset: '0', sequenceNumber: 0 });
    store1.close();
    const file = path.join(dir, 'hubs', 'customer360', '0.log');
    const good = statSync(file).size;
    appendFileSync(file, Buffer.from([0, 0, 0, 50, 1, 2, 3])); // a crash in the middle of a write

    const ns2 = new EventHubsNamespace(defaultNamespaceConfig(), clock);
    const store2 = openDataDir(dir, ns2);
    expect(store2.recovered).toMatchObject({ checkpoints: 1, truncatedBytes: 7 });
    expect(statSync(file).size).toBe(good);
    const sub = new InProcessSubscriber(ns2, 'customer360');
    const all = [...sub.readSync('0', { kind: 'earliest' }, 10), ...sub.readSync('1', { kind: 'earliest' }, 10)];
    expect(all.map((e) => Buffer.from(e.body).toString()).sort()).toEqual(['a', 'b', 'c']);
    expect(all.find((e) => Buffer.from(e.body).toString() === 'b')).toMatchObject({ partitionKey: 'k', properties: { n: 1 }, enqueuedTime: clock.now() });
    expect(sub.resumePosition('0')).toEqual({ kind: 'sequence', sequenceNumber: 0 });
    // appending after recovery continues the sequence
    await new InProcessPublisher(ns2, 'customer360').publish([{ body: 'd' }], { partitionId: '0' });
    store2.close();
    const ns3 = new EventHubsNamespace(defaultNamespaceConfig(), clock);
    openDataDir(dir, ns3).close();
    expect(ns3.partitionProperties('customer360', '0')!.lastEnqueuedSequenceNumber).toBe(ns2.partitionProperties('customer360', '0')!.lastEnqueuedSequenceNumber);
    expect(readFileSync(path.join(dir, 'checkpoints.json'), 'utf8')).toMatch(/"sequenceNumber":0/);
  });
});

describe('config files', () => {
  it("reads Microsoft's Config.json shape (string PartitionCount) and our YAML shape", () => {
    const ms = parseNamespaceConfig(
      { UserConfig: { NamespaceConfig: [{ Type: 'EventHub', Name: 'emulatorNs1', Entities: [{ Name: 'eh1', PartitionCount: '2', ConsumerGroups: [{ Name: 'cg1' }] }] }] } },
      'Config.json',
    );
    expect(ms.hubs).toEqual([{ name: 'eh1', partitionCount: 2, consumerGroups: ['cg1'], retentionMs: 3_600_000 }]);
    const yamlFile = path.join(tmp, 'ns.yaml');
    writeFileSync(yamlFile, 'namespace: twin\nthroughputUnits: 2\ntier: basic\nhubs:\n  - name: customer360\n    partitions: 2\n    retentionHours: 24\n');
    const own = loadNamespaceConfig(yamlFile);
    expect(own).toMatchObject({ name: 'twin', throughputUnits: 2, tier: 'basic', hubs: [{ name: 'customer360', partitionCount: 2 }] });
    expect(new EventHubsNamespace(own, clock).maxMessageBytes).toBe(262144);
  });

  it('names the file and field of mistakes', () => {
    expect(() => parseNamespaceConfig({ hubs: [{ name: 'a' }, { name: 'A' }] }, 'x.json')).toThrow(/x\.json \(hubs\.1\.name\): duplicate hub name 'A'/);
    expect(() => parseNamespaceConfig({ hubs: [{ name: 'a', partitons: 2 }] }, 'x.json')).toThrow(/x\.json \(hubs\.0\)/);
    expect(() => parseNamespaceConfig({ UserConfig: { NamespaceConfig: [{ Name: 'n', Entities: [{ Name: 'e', PartitionCount: 'two' }] }] } }, 'Config.json')).toThrow(
      /Config\.json \(UserConfig\.NamespaceConfig\.0\.Entities\.0\.PartitionCount\)/,
    );
  });
});
