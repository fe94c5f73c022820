// The ObjectStore implementations behave the same: put/append/get/list, prefixes, and name checks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore, MemoryObjectStore } from '../../engine/services/blob/index.js';
import { AzureBlobObjectStore } from '../../engine/services/blob/azure-store.js';
import type { ObjectStore } from '../../engine/ports/storage.js';
import { startAzurite, type Azurite } from './azurite.js';

let azurite: Azurite | undefined;
let azureStore: AzureBlobObjectStore | undefined;
beforeAll(async () => {
  azurite = await startAzurite();
  azureStore = await AzureBlobObjectStore.fromConnectionString(azurite.connectionString);
});
afterAll(async () => {
  await azurite?.stop();
});

let azureRun = 0;
/** Each Azure test gets fresh containers by name suffix, as Azurite is shared by the file. */
class Suffixed implements ObjectStore {
  constructor(private readonly inner: ObjectStore, private readonly suffix: string) {}
  put(c: string, n: string, d: Uint8Array | string) { return this.inner.put(c + this.suffix, n, d); }
  append(c: string, n: string, d: Uint8Array | string) { return this.inner.append(c + this.suffix, n, d); }
  get(c: string, n: string) { return this.inner.get(c + this.suffix, n); }
  list(c: string, p?: string) { return this.inner.list(c + this.suffix, p); }
}

const stores: [string, () => ObjectStore][] = [
  ['memory', () => new MemoryObjectStore()],
  ['folder tree', () => new FsObjectStore(mkdtempSync(path.join(tmpdir(), 'blob-')))],
  ['Azure Blob (@azure/storage-blob against Azurite)', () => new Suffixed(azureStore!, `-t${++azureRun}`)],
];

describe.each(stores)('%s store', (_name, make) => {
  it('puts, appends, gets and lists by prefix (sorted)', async () => {
    const s = make();
    await s.put('out', '2017/01/01/06/a.csv', 'h\r\n');
    await s.append('out', '2017/01/01/06/a.csv', '1\r\n');
    await s.append('out', '2017/01/01/07/b.csv', new TextEncoder().encode('x'));
    await s.put('other', 'c.csv', 'c');
    expect(new TextDecoder().decode(await s.get('out', '2017/01/01/06/a.csv'))).toBe('h\r\n1\r\n');
    expect(await s.list('out')).toEqual([
      { name: '2017/01/01/06/a.csv', size: 6 },
      { name: '2017/01/01/07/b.csv', size: 1 },
    ]);
    expect((await s.list('out', '2017/01/01/07')).map((b) => b.name)).toEqual(['2017/01/01/07/b.csv']);
    expect(await s.list('missing')).toEqual([]);
  });

  it('put replaces, get of a missing blob is a clear error', async () => {
    const s = make();
    await s.put('out', 'x', 'one');
    await s.put('out', 'x', 'two');
    expect(new TextDecoder().decode(await s.get('out', 'x'))).toBe('two');
    await expect(s.get('out', 'nope')).rejects.toThrow(/blob not found: out[^/]*\/nope/);
  });

  it('refuses names that are invalid in Azure or escape the store', async () => {
    const s = make();
    await expect(new MemoryObjectStore().put('Bad_Container', 'x', '')).rejects.toThrow(/invalid container name/);
    await expect(s.put('out', '../escape', '')).rejects.toThrow(/"\." or "\.\." segments/);
    await expect(s.put('out', '', '')).rejects.toThrow(/must not be empty/);
  });
});

describe('the customer360 job writes its Blob output into Azurite', () => {
  it('CSV blob under {date}/{time}, read back with the Azure SDK', async () => {
    const { loadArmJob, StreamAnalyticsJob } = await import('../../engine/services/stream-analytics/index.js');
    const def = await loadArmJob(path.join(path.dirname(new URL(import.meta.url).pathname), '../../infra-templates/asa/customer360-job.json'));
    (def.outputs.PipeDataToBlobInTimeSlices as { container: string }).container = 'asa-out';
    const job = new StreamAnalyticsJob(def, { store: azureStore! });
    const t0 = Date.parse('2017-01-01T06:00:00Z');
    job.push('readDataFromInput', { partitionId: 0, enqueuedTime: t0 + 5000, body: { userdatetime: '2017-01-01 06:00:00', customerid: 7, category_t1: 1, category_t2: 2, category_t3: 3 } });
    job.end();
    await job.drain();
    const { BlobServiceClient } = await import('@azure/storage-blob');
    const client = BlobServiceClient.fromConnectionString(azurite!.connectionString).getContainerClient('asa-out');
    const names: string[] = [];
    for await (const b of client.listBlobsFlat()) names.push(b.name);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^2017\/01\/01\/06\/\d+_[0-9a-f-]+_1\.csv$/);
    const text = (await client.getBlobClient(names[0]).downloadToBuffer()).toString('utf8');
    expect(text).toBe('userdatetime,customerid,category_t1,category_t2,category_t3,partitionid\r\n2017-01-01T06:00:00.0000000Z,7,1,2,3,0\r\n');
  });
});
