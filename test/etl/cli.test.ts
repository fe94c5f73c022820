// The commands end to end, as a user runs them: `c360 generate` then `c360 etl` on its folder.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { runC360, repoRoot } from '../helpers/cli.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'c360-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const lineCount = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).length;
const FILES = ['customer.csv', 'purchase.csv', 'product.csv', 'browsing.jsonl'];

describe('c360 generate + c360 etl', () => {
  it('generates 6,000 customers and a ~201k-event session, identically twice, then 6,000 profiles', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    const [ra, rb] = await Promise.all([
      runC360(['generate', '--customers', '6000', '--seed', '7', '--out', a]),
      runC360(['generate', '--customers', '6000', '--seed', '7', '--out', b, '--quiet']),
    ]);
    expect(ra.stderr).not.toMatch(/error/);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    expect(lineCount(path.join(a, 'customer.csv'))).toBe(6000);
    const events = lineCount(path.join(a, 'browsing.jsonl'));
    expect(events).toBeGreaterThanOrEqual(197_000);
    expect(events).toBeLessThanOrEqual(205_000);
    for (const f of FILES) expect([f, hash(path.join(a, f))]).toEqual([f, hash(path.join(b, f))]);
    // The summary shows the focus groups: group 1 browses T1 ~700 s, group 4 T2 ~1000 s and T3 ~650 s.
    const g1 = ra.stdout.split('\n').find((l) => /^\s+1\s+focus T1/.test(l))!;
    const g4 = ra.stdout.split('\n').find((l) => /^\s+4\s+focus T2\/T3/.test(l))!;
    const cells = (l: string) => l.trim().split(/\s{2,}/);
    expect(Number(cells(g1)[4])).toBeGreaterThan(650);
    expect(Number(cells(g4)[5])).toBeGreaterThan(950);
    expect(Number(cells(g4)[6])).toBeGreaterThan(600);
    expect(Number(cells(g1)[7].replace(/,/g, ''))).toBeGreaterThan(4000);

    const etl = await runC360(['etl', '--warehouse', path.join(a, 'wh.sqlite'), '--browsing', path.join(a, 'browsing.jsonl'), '--as-of', '2017-03-08T06:00:00Z', '--out', path.join(a, 'profile.csv')]);
    expect(etl.stderr).toBe('');
    expect(etl.code).toBe(0);
    expect(etl.stdout).toContain(`reference: ${a}`);
    const profile = readFileSync(path.join(a, 'profile.csv'), 'utf8').trim().split('\n');
    expect(profile).toHaveLength(6001);
    const originalHeader = readFileSync(path.join(repoRoot, 'data/customer360-original/customer_profile_label.csv'), 'utf8').split('\n')[0].trim();
    expect(profile[0]).toBe(originalHeader);
    expect(profile.slice(1).every((l) => l.split(',').length === 31)).toBe(true);
    // Label counts: about half of each focus group buys in the 3 days after as-of.
    const labels = profile.slice(1).map((l) => Number(l.split(',')[30]));
    expect(labels.filter((l) => l === 1).length).toBeGreaterThan(430);
    expect(labels.filter((l) => l === 2 || l === 3).length).toBeGreaterThan(430);

    // A second run reuses the warehouse's reference tables.
    const again = await runC360(['etl', '--warehouse', path.join(a, 'wh.sqlite'), '--browsing', path.join(a, 'browsing.jsonl'), '--seed-compat', '--label', 'seed', '--out', path.join(a, 'profile-seed.csv')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("kept the warehouse's tables (6000 customers");
    expect(lineCount(path.join(a, 'profile-seed.csv'))).toBe(6001);
  }, 180_000); // four full-size runs of the real CLI; generous for a loaded 2-core CI machine

  it('--reference original copies the original tables and adds ground-truth purchases', async () => {
    const dir = path.join(tmp, 'orig');
    const r = await runC360(['generate', '--reference', 'original', '--seed', '3', '--out', dir, '--quiet']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'customer.csv'), 'utf8')).toBe(readFileSync(path.join(repoRoot, 'data/customer360-original/customer.csv'), 'utf8').trimEnd() + '\n');
    const purchases = readFileSync(path.join(dir, 'purchase.csv'), 'utf8').trim().split('\n');
    expect(purchases.slice(0, 9000).join('\n')).toBe(readFileSync(path.join(repoRoot, 'data/customer360-original/purchase.csv'), 'utf8').trim());
    expect(purchases.length).toBeGreaterThan(9400);
    expect(purchases.slice(9000).every((l) => l >= '2017-03-09' && l < '2017-03-11 06:00:01')).toBe(true);
    expect(r.stdout).toMatch(/Reference tables: original data \(no malformed rows\)/);
  });

  it('reports malformed browsing lines with file:line and keeps going', async () => {
    const dir = path.join(tmp, 'bad');
    const fixtures = path.join(repoRoot, 'test/fixtures/etl');
    const browsing = path.join(dir, 'browsing.jsonl');
    (await import('node:fs')).mkdirSync(dir, { recursive: true });
    writeFileSync(browsing, readFileSync(path.join(fixtures, 'browsing.jsonl'), 'utf8') + '{"userdatetime":"2017-03-08T06:00:00Z","customerid":-1,"category_t1":1,"category_t2":1,"category_t3":1}\nnot json\n');
    const r = await runC360(['etl', '--warehouse', path.join(dir, 'wh.sqlite'), '--browsing', browsing, '--reference', fixtures, '--out', path.join(dir, 'p.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('8 profiles');
    expect(r.stdout).toContain('2 malformed row(s) skipped');
    expect(r.stdout).toContain(`${browsing}:17: customerid: not a positive integer`);
    expect(r.stdout).toContain(`${browsing}:18: not JSON`);
  });

  it('fails with one clear line on a missing browsing file or bad option', async () => {
    const r = await runC360(['etl', '--warehouse', path.join(tmp, 'x.sqlite'), '--browsing', path.join(tmp, 'missing.jsonl'), '--out', path.join(tmp, 'p.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/missing\.jsonl: browsing file or folder not found/);
    expect(existsSync(path.join(tmp, 'x.sqlite'))).toBe(false);
    const bad = await runC360(['generate', '--customers', 'many', '--out', path.join(tmp, 'z')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--customers must be an integer/);
    const label = await runC360(['etl', '--warehouse', path.join(tmp, 'y.sqlite'), '--browsing', path.join(repoRoot, 'test/fixtures/etl/browsing.jsonl'), '--label', 'best', '--out', path.join(tmp, 'p.csv')]);
    expect(label.code).toBe(1);
    expect(label.stderr).toMatch(/--label must be future or seed/);
  });

  it('reads a folder of Stream Analytics CSV output, with the original data as default reference', async () => {
    const dir = path.join(tmp, 'asa');
    const hour = path.join(dir, '2017/03/08/06');
    (await import('node:fs')).mkdirSync(hour, { recursive: true });
    writeFileSync(
      path.join(hour, '0_1.csv'),
      'userdatetime,customerid,category_t1,category_t2,category_t3,partitionid\n' +
        '2017-03-08T06:00:00.0000000Z,1,700.5,10.0,15.0,0\n2017-03-07T06:00:00.0000000Z,1,650.0,0.0,0.0,0\n2017-03-08T06:00:00.0000000Z,3001,10.0,1000.0,650.0,1\n',
    );
    const out = path.join(tmp, 'asa-profile.csv');
    const r = await runC360(['etl', '--warehouse', path.join(tmp, 'asa.sqlite'), '--browsing', dir, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('browsing: 3 rows from 1 file(s)');
    expect(r.stdout).toContain('customer360-original (6000 customers, 9000 purchases, 3 products)');
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(6001);
    // Customer 1 (original demographics: 29, M, >100K) browsed T1 on 03-07 and 03-08: 700.5 + 650.
    const c1 = rows.find((l) => l.startsWith('1,'))!.split(',');
    expect(c1.slice(0, 8)).toEqual(['1', '29', 'M', 'Greater_than_100K', 'F', '1', '5', '1350.5']);
    expect(c1[25]).toBe('0'); // r_60d
    expect(c1[26]).toBe('2'); // f_60d
  });

  it('--sessions K writes K sessions', async () => {
    const dir = path.join(tmp, 'sessions');
    const r = await runC360(['generate', '--customers', '60', '--seed', '1', '--sessions', '3', '--out', dir, '--quiet']);
    expect(r.code).toBe(0);
    expect(lineCount(path.join(dir, 'browsing.jsonl'))).toBe(3 * 60 * 67 * 0.5);
    expect(r.stdout).toContain('6,030 browsing events in 3 session(s)');
  });

  it('has help with examples', async () => {
    for (const cmd of ['generate', 'etl']) {
      const r = await runC360([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:/);
    }
  });
});
