// The pipeline's ETL activity reading Stream Analytics CSV blobs: well-formed rows load exactly as the
// warehouse's CSV loader loads them, odd lines are counted and skipped with file, line and reason,
// and each slice reads only what was appended since the previous one.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../engine/services/blob/memory-store.js';
import { Warehouse, loadBrowsingCsvText, loadReference } from '../../engine/services/warehouse/index.js';
import { WarehouseEtl } from '../../engine/targets/local/warehouse-etl.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/etl');
const HEADER = 'userdatetime,customerid,category_t1,category_t2,category_t3,partitionid\r\n';
const asOf = Date.UTC(2017, 2, 8, 6);
const slice = (index: number) => ({ index, start: asOf + index * 900_000, end: asOf + (index + 1) * 900_000 });

async function etlOver(store: MemoryObjectStore) {
  const warehouse = new Warehouse(':memory:');
  await loadReference(warehouse, fixtures);
  return { warehouse, etl: new WarehouseEtl({ warehouse, store, container: 'c', asOf, seedCompat: false }) };
}

const browsing = (wh: Warehouse) => wh.db.prepare('SELECT * FROM Browsing ORDER BY rowid').all();

describe('WarehouseEtl', () => {
  it('loads well-formed rows as the CSV loader does and skips odd lines with their reason', async () => {
    const good = [
      '2017-03-08T05:00:00.0000000Z,4,1.5,2,3,0',
      '2017-03-07T06:00:00.0000000Z,7,0.0,12.25,1e1,1',
      '2017-03-06T06:00:00.0000000Z,9,3,4,5,0',
    ];
    const odd = [
      '2017-03-08T05:00:00.0000000Z,4,1.5,2,3', // 5 fields
      '2017-03-08T05:00:00.0000000Z,4,1.5,2,3,0,9', // 7 fields
      '2017-03-08T05:00:00.0000000Z,x,1,2,3,0', // bad id
      '2017-03-08T05:00:00.0000000Z,4,,2,3,0', // empty value
      'not a time,4,1,2,3,0', // bad timestamp
    ];
    const text = HEADER + [good[0], odd[0], good[1], odd[1], odd[2], '', odd[3], odd[4], good[2]].join('\r\n') + '\r\n';
    const store = new MemoryObjectStore();
    await store.append('c', '2017/03/08/05/1_g_1.csv', text);
    const { warehouse, etl } = await etlOver(store);
    const profiles = await etl.buildProfiles(slice(0));
    expect(profiles.length).toBe(warehouse.count('Customer'));
    expect(etl.browsingRowsLoaded).toBe(3);
    expect(etl.skips.count).toBe(5);
    expect(etl.skips.examples.map((e) => [e.file, e.line, e.reason.split(':')[0]])).toEqual([
      ['c/2017/03/08/05/1_g_1.csv', 3, 'expected 6 fields, found 5'],
      ['c/2017/03/08/05/1_g_1.csv', 5, 'expected 6 fields, found 7'],
      ['c/2017/03/08/05/1_g_1.csv', 6, 'customerid'],
      ['c/2017/03/08/05/1_g_1.csv', 8, 'category_t1'],
      ['c/2017/03/08/05/1_g_1.csv', 9, 'userdatetime'],
    ]);
    const reference = new Warehouse(':memory:');
    loadBrowsingCsvText(reference, 'x.csv', HEADER + good.join('\n') + '\n');
    expect(browsing(warehouse)).toEqual(browsing(reference));
    warehouse.closeSync();
    reference.closeSync();
  });

  it('reads only the rows appended since the previous slice, with or without a final newline', async () => {
    const store = new MemoryObjectStore();
    await store.append('c', 'a.csv', HEADER + '2017-03-08T05:00:00Z,4,1,2,3,0\n');
    const { warehouse, etl } = await etlOver(store);
    await etl.buildProfiles(slice(0));
    expect(browsing(warehouse)).toEqual([{ customerID: 4, ts: Date.UTC(2017, 2, 8, 5), category_t1: 1, category_t2: 2, category_t3: 3 }]);
    await store.append('c', 'a.csv', '2017-03-08T04:00:00Z,5,4,5,6,1\n2017-03-08T03:00:00Z,6,7,8,9,0');
    await etl.buildProfiles(slice(1));
    expect(browsing(warehouse).map((r) => (r as { customerID: number }).customerID)).toEqual([5, 6]);
    expect(etl.browsingRowsLoaded).toBe(3);
    expect(etl.skips.count).toBe(0);
    warehouse.closeSync();
  });
});
