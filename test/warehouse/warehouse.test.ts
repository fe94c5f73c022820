// The SQLite warehouse: loaders for the original files, bad input, the Stream Analytics CSV shape,
// timestamps and the Enriched_Customer_Profile writer (the Warehouse port).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SkipLog, UserError } from '../../engine/core/errors.js';
import {
  Warehouse, loadReference, loadBrowsingJsonl, loadBrowsing, loadBrowsingCsvText, loadCustomersCsv, loadPurchasesCsv, buildProfiles, profileRows, profileFeaturesAndLabels,
  parseTimestamp, PROFILE_COLUMNS,
} from '../../engine/services/warehouse/index.js';
import { repoRoot } from '../helpers/cli.js';

const original = path.join(repoRoot, 'data/customer360-original');
const fixtures = path.join(repoRoot, 'test/fixtures/etl');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'c360-wh-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Warehouse loaders', () => {
  it('load the original reference tables completely', async () => {
    const wh = new Warehouse(':memory:');
    const skips = new SkipLog();
    const r = await loadReference(wh, original, skips);
    expect(r).toEqual({ customers: 6000, purchases: 9000, products: 3 });
    expect(skips.count).toBe(0);
    expect(wh.db.prepare('SELECT * FROM Customer WHERE customerID = 1').get()).toEqual({
      customerID: 1, age: 29, Gender: 'M', Income: 'Greater_than_100K', HeadofHousehold: 'F', number_household: 1, months_residence: 5,
    });
    expect(wh.db.prepare("SELECT SUM(amount_spent) AS s FROM Purchase WHERE ProductID = 'T1'").get()).toMatchObject({ s: expect.closeTo(269269.5, 6) });
    wh.closeSync();
  });

  it('report malformed CSV rows with file, line and field, and skip them', async () => {
    const file = path.join(tmp, 'bad-customer.csv');
    writeFileSync(file, ['1,"30","M","10K_50K","T","1","2"', '2,"x","M","10K_50K","T","1","2"', '3,"30","Q","10K_50K","T","1","2"', '4,"30","M"', '5,"30","F","Rich","T","1","2"', '6,"30","F","10K_50K","T","1","2"'].join('\n'));
    const wh = new Warehouse(':memory:');
    const skips = new SkipLog();
    expect(await loadCustomersCsv(wh, file, skips)).toBe(2);
    expect(skips.count).toBe(4);
    expect(skips.examples.map((e) => [e.line, e.reason.split(':')[0]])).toEqual([[2, 'age'], [3, 'Gender'], [4, 'expected 7 fields, found 3'], [5, 'Income']]);
    expect(skips.summary()).toContain(`${file}:2: age`);
    const pfile = path.join(tmp, 'bad-purchase.csv');
    writeFileSync(pfile, '2017-01-10 06:00:00,1,T1,16.4\n2017-13-10 06:00:00,1,T1,1\n2017-01-10 06:00:00,1,T1,abc\n2017-01-10,1,T1,1\n');
    const pskips = new SkipLog();
    expect(await loadPurchasesCsv(wh, pfile, pskips)).toBe(1);
    expect(pskips.examples.map((e) => e.line)).toEqual([2, 3, 4]);
    wh.closeSync();
  });

  it('bulk-loads without fsyncs and restores synchronous=NORMAL afterwards, even on failure', async () => {
    const wh = new Warehouse(path.join(tmp, 'bulk.sqlite'));
    let during = -1;
    await wh.bulkLoad(async () => {
      during = wh.db.pragma('synchronous', { simple: true }) as number;
    });
    expect(during).toBe(0); // OFF
    await expect(wh.bulkLoad(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(wh.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    await loadReference(wh, fixtures);
    expect(wh.db.pragma('synchronous', { simple: true })).toBe(1);
    wh.closeSync();
  });

  it('fail clearly on a missing file', async () => {
    const wh = new Warehouse(':memory:');
    await expect(loadReference(wh, path.join(tmp, 'nowhere'))).rejects.toThrow(UserError);
    await expect(loadBrowsing(wh, path.join(tmp, 'nowhere.jsonl'))).rejects.toThrow(/not found/);
    wh.closeSync();
  });

  it('skip malformed browsing lines with their line numbers', async () => {
    const file = path.join(tmp, 'bad.jsonl');
    writeFileSync(
      file,
      [
        '{"userdatetime":"2017-03-08T06:00:00+00:00","customerid":1,"category_t1":1.5,"category_t2":2.0,"category_t3":3.0}',
        '{"userdatetime":"2017-03-08T06:00:00+00:00","customerid":1,"category_t1":1.5,', // truncated
        '',
        '[1,2,3]',
        '{"userdatetime":"yesterday","customerid":1,"category_t1":1,"category_t2":2,"category_t3":3}',
        '{"userdatetime":"2017-03-08T06:00:00Z","customerid":"7","category_t1":"4.5","category_t2":0,"category_t3":0}',
        '{"userdatetime":"2017-03-08T06:00:00Z","customerid":1,"category_t1":1,"category_t2":2}',
      ].join('\n'),
    );
    const wh = new Warehouse(':memory:');
    const skips = new SkipLog();
    expect(await loadBrowsingJsonl(wh, file, skips)).toBe(2);
    expect(skips.examples.map((e) => [e.line, e.reason.startsWith('not JSON:') ? 'not JSON' : e.reason.slice(0, 20)])).toEqual([
      [2, 'not JSON'], [4, 'not a JSON object'], [5, 'userdatetime: not an'], [7, 'category_t3: missing'],
    ]);
    expect(wh.db.prepare('SELECT customerID, category_t1 FROM Browsing ORDER BY customerID').all()).toEqual([
      { customerID: 1, category_t1: 1.5 }, { customerID: 7, category_t1: 4.5 },
    ]);
    wh.closeSync();
  });

  it('load a folder of Stream Analytics CSV output and give the same profiles as the JSONL', async () => {
    const dir = path.join(tmp, 'asa/2017/03/08/06');
    mkdirSync(dir, { recursive: true });
    const lines = (await import('node:fs')).readFileSync(path.join(fixtures, 'browsing.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const csv = (part: typeof lines) =>
      'userdatetime,customerid,category_t1,category_t2,category_t3,partitionid\n' +
      part.map((o, i) => `${o.userdatetime.replace('+00:00', '.0000000Z')},${o.customerid},${o.category_t1},${o.category_t2},${o.category_t3},${i % 2}`).join('\n') + '\n';
    writeFileSync(path.join(dir, '0_a.csv'), csv(lines.slice(0, 7)));
    writeFileSync(path.join(dir, '1_b.csv'), csv(lines.slice(7)));
    const asOf = Date.UTC(2017, 2, 8, 6);
    const viaJson = new Warehouse(':memory:');
    await loadReference(viaJson, fixtures);
    await loadBrowsingJsonl(viaJson, path.join(fixtures, 'browsing.jsonl'));
    buildProfiles(viaJson.db, { asOf });
    const viaCsv = new Warehouse(':memory:');
    await loadReference(viaCsv, fixtures);
    expect(await loadBrowsing(viaCsv, path.join(tmp, 'asa'))).toEqual({ rows: lines.length, files: 2 });
    buildProfiles(viaCsv.db, { asOf });
    expect([...profileRows(viaCsv.db)]).toEqual([...profileRows(viaJson.db)]);
    // The pipeline's read of the same table: the features of each row, in order, and its label.
    const { features, labels } = profileFeaturesAndLabels(viaCsv.db);
    const rows = [...profileRows(viaCsv.db)];
    expect(rows.length).toBeGreaterThan(0);
    expect(features).toEqual(rows.map(({ label: _label, ...f }) => f));
    expect([...labels]).toEqual(rows.map((r) => [r.customerID, r.label]));
    expect(Object.keys(features[0])).toEqual(Object.keys(rows[0]).filter((k) => k !== 'label'));
    viaJson.closeSync();
    viaCsv.closeSync();
  });

  it('load Stream Analytics CSV text from memory (as the pipeline reads blobs)', () => {
    const wh = new Warehouse(':memory:');
    const skips = new SkipLog();
    const text = 'partitionid,userdatetime,customerid,category_t1,category_t2,category_t3\r\n1,2017-03-08T06:00:00.0000000Z,4,1.5,2,3\r\n0,2017-03-08T06:00:00Z,x,1,2,3\r\n';
    expect(loadBrowsingCsvText(wh, '2017/03/08/06/0_x.csv', text, skips)).toBe(1);
    expect(skips.examples).toEqual([{ file: '2017/03/08/06/0_x.csv', line: 3, reason: 'customerid: not a positive integer ("x")' }]);
    expect(wh.db.prepare('SELECT * FROM Browsing').all()).toEqual([{ customerID: 4, ts: Date.UTC(2017, 2, 8, 6), category_t1: 1.5, category_t2: 2, category_t3: 3 }]);
    expect(() => loadBrowsingCsvText(wh, 'y.csv', 'a,b\n1,2\n')).toThrow(/y\.csv:1: missing column "userdatetime"/);
    wh.closeSync();
  });

  it('reject a Stream Analytics CSV without a required column, naming file and column', async () => {
    const dir = path.join(tmp, 'asa-bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'x.csv'), 'userdatetime,customerid,category_t1,category_t2\n2017-03-08T06:00:00Z,1,1,1\n');
    const wh = new Warehouse(':memory:');
    await expect(loadBrowsing(wh, dir)).rejects.toThrow(/x\.csv:1: missing column "category_t3"/);
    wh.closeSync();
  });
});

describe('timestamps', () => {
  it('read the formats browsing data arrives in, always as UTC unless a zone says otherwise', () => {
    const t = Date.UTC(2017, 2, 8, 6);
    expect(parseTimestamp('2017-03-08T06:00:00+00:00')).toBe(t);
    expect(parseTimestamp('2017-03-08T06:00:00.0000000Z')).toBe(t);
    expect(parseTimestamp('2017-03-08 06:00:00')).toBe(t);
    expect(parseTimestamp('2017-03-08T07:30:00+01:30')).toBe(t);
    expect(parseTimestamp('2017-03-08T06:00:00.250Z')).toBe(t + 250);
    expect(parseTimestamp('2017-02-30T06:00:00Z')).toBeNaN();
    expect(parseTimestamp('08/03/2017')).toBeNaN();
  });
});

describe('Enriched_Customer_Profile (the Warehouse port)', () => {
  it('writes profile + label + probabilities, replacing a customer’s previous row', async () => {
    const file = path.join(tmp, 'enriched.sqlite');
    const wh = new Warehouse(file);
    const features = Object.fromEntries(PROFILE_COLUMNS.slice(1).map((c, i) => [c, ['Gender', 'Income', 'HeadofHousehold'].includes(c) ? 'x' : i]));
    await wh.writeEnrichedProfiles([
      { customerID: 1, label: 0, probabilities: [0.7, 0.1, 0.1, 0.1], features },
      { customerID: 2, label: 3, probabilities: [0.1, 0.1, 0.1, 0.7], features },
    ]);
    await wh.writeEnrichedProfiles([{ customerID: 1, label: 1, probabilities: [0.2, 0.6, 0.1, 0.1], features }]);
    await wh.close();
    const again = new Warehouse(file);
    const rows = again.db.prepare('SELECT customerID, label, prob_categoryT1, T3_m_60d, Gender FROM Enriched_Customer_Profile ORDER BY customerID').all();
    expect(rows).toEqual([
      { customerID: 1, label: 1, prob_categoryT1: 0.6, T3_m_60d: 28, Gender: 'x' },
      { customerID: 2, label: 3, prob_categoryT1: 0.1, T3_m_60d: 28, Gender: 'x' },
    ]);
    again.closeSync();
  });
});

describe('a scratch warehouse (a run rebuilds it)', () => {
  it('keeps no write-ahead log and no fsyncs, still rolls a failed transaction back, and keeps its data when reopened', async () => {
    const file = path.join(tmp, 'scratch.sqlite');
    const wh = new Warehouse(file, { scratch: true });
    expect(wh.db.pragma('journal_mode', { simple: true })).toBe('memory');
    expect(wh.db.pragma('synchronous', { simple: true })).toBe(0);
    wh.insertBrowsing([{ customerID: 1, ts: 1000, t1: 1, t2: 2, t3: 3 }]);
    expect(() =>
      wh.db.transaction(() => {
        wh.clearBrowsing();
        throw new Error('an ETL attempt fails');
      })(),
    ).toThrow('an ETL attempt fails');
    expect(wh.count('Browsing')).toBe(1);
    await loadReference(wh, original);
    expect(wh.db.pragma('synchronous', { simple: true })).toBe(0); // a bulk load puts the setting back as it found it
    wh.closeSync();
    const again = new Warehouse(file);
    expect(again.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect([again.count('Browsing'), again.count('Customer')]).toEqual([1, 6000]);
    again.closeSync();
  });
});
