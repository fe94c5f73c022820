// The pipeline's warehouse: Stream Analytics CSV output staged as it is appended (well-formed rows load
// exactly as the warehouse's CSV loader loads them; odd lines are counted and skipped with blob, line
// and reason), each ETL reads only what was appended since the previous successful one, a failed ETL
// keeps its rows for the retry, and the worker thread gives exactly what the same job gives in-thread.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datagenConfig } from '../../engine/datagen/index.js';
import { UserError } from '../../engine/core/errors.js';
import { PROFILE_COLUMNS, SCHEMA_SQL, Warehouse, loadBrowsingCsvText } from '../../engine/services/warehouse/index.js';
import { WarehouseJob, type WarehouseJobOptions } from '../../engine/targets/local/warehouse-job.js';
import { WarehouseThread } from '../../engine/targets/local/warehouse-thread.js';

const HEADER = 'userdatetime,customerid,category_t1,category_t2,category_t3,partitionid\r\n';
const generator = datagenConfig({ customers: 40, seed: 3 });
const asOf = generator.asOf;
const options: WarehouseJobOptions = { file: ':memory:', generator, asOf, seedCompat: false };
const slice = (index: number) => ({ index, start: asOf + index * 900_000, end: asOf + (index + 1) * 900_000 });
const bytes = (text: string) => new TextEncoder().encode(text);
const iso = (hoursBefore: number) => new Date(asOf - hoursBefore * 3_600_000).toISOString().replace('.000Z', '.0000000Z');
const browsing = (wh: Warehouse) => wh.db.prepare('SELECT * FROM Browsing ORDER BY rowid').all();

const good = [`${iso(1)},4,1.5,2,3,0`, `${iso(24)},7,0.0,12.25,1e1,1`, `${iso(48)},9,3,4,5,0`];
const odd = [
  `${iso(1)},4,1.5,2,3`, // 5 fields
  `${iso(1)},4,1.5,2,3,0,9`, // 7 fields
  `${iso(1)},x,1,2,3,0`, // bad id
  `${iso(1)},4,,2,3,0`, // empty value
  'not a time,4,1,2,3,0', // bad timestamp
];
const mixed = HEADER + [good[0], odd[0], good[1], odd[1], odd[2], '', odd[3], odd[4], good[2]].join('\r\n') + '\r\n';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('WarehouseJob', () => {
  it('stages well-formed rows as the CSV loader loads them and skips odd lines with blob, line and reason', () => {
    const job = new WarehouseJob(options);
    job.loadReference();
    job.append('c/a.csv', bytes(mixed));
    const reference = new Warehouse(':memory:');
    loadBrowsingCsvText(reference, 'x.csv', HEADER + good.join('\n') + '\n');
    expect(browsing(job.warehouse)).toEqual(browsing(reference));
    const out = job.etl();
    expect(out.values.length).toBe(40);
    expect(out.labels.length).toBe(40);
    expect(out.rowsLoaded).toBe(3);
    expect(out.skippedCount).toBe(5);
    expect(out.skipped.map((e) => [e.file, e.line, e.reason.split(':')[0]])).toEqual([
      ['c/a.csv', 3, 'expected 6 fields, found 5'],
      ['c/a.csv', 5, 'expected 6 fields, found 7'],
      ['c/a.csv', 6, 'customerid'],
      ['c/a.csv', 8, 'category_t1'],
      ['c/a.csv', 9, 'userdatetime'],
    ]);
    // What the ETL read stays until new rows are staged or another ETL runs (a run's warehouse shows it).
    expect(browsing(job.warehouse)).toEqual(browsing(reference));
    expect(job.etl().rowsLoaded).toBe(0);
    expect(browsing(job.warehouse)).toEqual([]);
    job.close();
    reference.closeSync();
  });

  it('reads only what was appended since the previous ETL, and numbers lines by their place in the blob', () => {
    const job = new WarehouseJob(options);
    job.loadReference();
    job.append('c/a.csv', bytes(HEADER + `${iso(2)},4,1,2,3,0\n`));
    expect(job.etl().rowsLoaded).toBe(1);
    // No final line break: the last line still counts, and the next append starts a new line.
    job.append('c/a.csv', bytes(`${iso(3)},5,4,5,6,1\n${iso(4)},6,7,8,9,0`));
    job.append('c/a.csv', bytes(`${iso(5)},6,7,8\n`));
    expect(browsing(job.warehouse).map((r) => (r as { customerID: number }).customerID)).toEqual([5, 6]);
    const out = job.etl();
    expect(out.rowsLoaded).toBe(2);
    expect(out.skipped.map((e) => [e.file, e.line])).toEqual([['c/a.csv', 5]]);
    job.close();
  });

  it('keeps the rows of a failed ETL for its retry', () => {
    const job = new WarehouseJob(options);
    job.loadReference();
    job.append('c/a.csv', bytes(HEADER + good.join('\n')));
    job.warehouse.db.exec('DROP TABLE Customer_Profile');
    expect(() => job.etl()).toThrow(/Customer_Profile/);
    expect(browsing(job.warehouse).length).toBe(3);
    job.warehouse.db.exec(SCHEMA_SQL);
    job.append('c/b.csv', bytes(HEADER + good[0]));
    const retry = job.etl();
    expect(retry.rowsLoaded).toBe(4);
    expect(retry.values.length).toBe(40);
    job.close();
  });
});

describe('WarehouseThread', () => {
  it('gives the profiles, labels and skips the in-thread job gives, and leaves the enriched profiles in its file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-wh-thread-'));
    dirs.push(dir);
    const file = path.join(dir, 'warehouse.sqlite');
    const thread = new WarehouseThread({ ...options, file });
    await thread.opened;
    const job = new WarehouseJob(options);
    job.loadReference();

    thread.append('c', 'a.csv', bytes(mixed));
    job.append('c/a.csv', bytes(mixed));
    const rows = await thread.buildProfiles(slice(0));
    const expected = job.etl();
    expect(rows.map((r) => Object.values(r))).toEqual(expected.values);
    const labels = await thread.labels(slice(0));
    expect([...labels.entries()]).toEqual(expected.values.map((v, i) => [v[0], expected.labels[i]]));
    expect(thread.skips.count).toBe(5);
    expect(thread.skips.examples.map((e) => e.line)).toEqual(expected.skipped.map((e) => e.line));
    expect(thread.browsingRowsLoaded).toBe(3);

    // The ETL's own profile objects: only the scores cross; the second write of them (a scoring retry) goes whole.
    await thread.writeEnrichedProfiles(rows.map((features, i) => ({ customerID: Number(features.customerID), label: (i + 3) % 4, probabilities: [0.4, 0.3, 0.2, 0.1], features })));
    await thread.writeEnrichedProfiles(rows.map((features, i) => ({ customerID: Number(features.customerID), label: i % 4, probabilities: [0.1, 0.2, 0.3, 0.4], features })));
    // Copies of the profiles go whole too.
    await thread.writeEnrichedProfiles([{ customerID: 3, label: 3, probabilities: [0, 0, 0, 1], features: { ...rows[2], age: 99 } }]);
    // The next ETL reads only the new append.
    thread.append('c', 'a.csv', bytes(`${iso(6)},8,1,1,1,0\n`));
    await thread.buildProfiles(slice(1));
    expect(thread.browsingRowsLoaded).toBe(4);
    await thread.close();
    job.close();

    const written = new Warehouse(file);
    expect(written.count('Enriched_Customer_Profile')).toBe(40);
    expect(written.db.prepare('SELECT label, prob_categoryT3 FROM Enriched_Customer_Profile WHERE customerID = 2').get()).toEqual({ label: 1, prob_categoryT3: 0.4 });
    expect(written.db.prepare('SELECT label, age, prob_categoryT3 FROM Enriched_Customer_Profile WHERE customerID = 3').get()).toEqual({ label: 3, age: 99, prob_categoryT3: 1 });
    const fromEtl = written.db.prepare(`SELECT ${PROFILE_COLUMNS.join(', ')} FROM Enriched_Customer_Profile WHERE customerID = 1`).raw().get();
    expect(fromEtl).toEqual(expected.values[0]);
    written.closeSync();
  });

  it('reports a warehouse it cannot open as a user error naming the file', async () => {
    const file = path.join(os.tmpdir(), 'no-such-dir-c360', 'deeper', 'warehouse.sqlite');
    const thread = new WarehouseThread({ ...options, file });
    const error = await thread.opened.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location.file).toBe(file);
    expect((error as Error).message).toMatch(/cannot open warehouse/);
    // Every later request fails the same way, and so does close (a run then reports why).
    await expect(thread.buildProfiles(slice(0))).rejects.toThrow(/cannot open warehouse/);
    await expect(thread.close()).rejects.toThrow(/cannot open warehouse/);
  });

  it('starts its work only when the hold signal turns non-zero, then answers in order', async () => {
    const hold = new Int32Array(new SharedArrayBuffer(4));
    const thread = new WarehouseThread(options, { holdUntil: hold });
    thread.append('c', 'a.csv', bytes(HEADER + good.join('\n')));
    let answered = false;
    const profiles = thread.buildProfiles(slice(0)).then((rows) => ((answered = true), rows));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    Atomics.store(hold, 0, 1);
    Atomics.notify(hold, 0);
    expect((await profiles).length).toBe(40);
    expect(thread.browsingRowsLoaded).toBe(3);
    await thread.close();
  });

  it('replaces an earlier run\'s warehouse file instead of adding to it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-wh-fresh-'));
    dirs.push(dir);
    const file = path.join(dir, 'warehouse.sqlite');
    const earlier = new Warehouse(file);
    earlier.db.exec('INSERT INTO Browsing VALUES (1, 0, 1, 1, 1)');
    earlier.db.exec(`INSERT INTO Enriched_Customer_Profile (customerID, label) VALUES (99999, 1)`);
    earlier.closeSync();
    const job = new WarehouseJob({ ...options, file });
    expect(job.warehouse.count('Browsing')).toBe(0);
    expect(job.warehouse.count('Enriched_Customer_Profile')).toBe(0);
    job.close();
  });
});
