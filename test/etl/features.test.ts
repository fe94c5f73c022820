// Every feature column against hand-computed values (test/fixtures/etl/expected.ts), in both window
// modes and both label modes, loaded through the real CSV/JSONL loaders.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Warehouse, loadReference, loadBrowsingJsonl, buildProfiles, profileRows, PROFILE_COLUMNS, type ProfileRow } from '../../engine/services/warehouse/index.js';
import { CORRECT, SEED_COMPAT, FUTURE_LABELS, SEED_LABELS_CORRECT, SEED_LABELS_COMPAT, DEMOGRAPHICS, type Expected } from '../fixtures/etl/expected.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/etl');
const AS_OF = Date.UTC(2017, 2, 8, 6);
const ACTIVITY = PROFILE_COLUMNS.slice(7);

let wh: Warehouse;
beforeAll(async () => {
  wh = new Warehouse(':memory:');
  await loadReference(wh, fixtures);
  await loadBrowsingJsonl(wh, path.join(fixtures, 'browsing.jsonl'));
});
afterAll(() => wh.closeSync());

function rows(): Map<number, ProfileRow> {
  return new Map([...profileRows(wh.db)].map((r) => [r.customerID as number, r]));
}

function expectActivity(got: Map<number, ProfileRow>, expected: Expected): void {
  for (const [id, values] of Object.entries(expected)) {
    const row = got.get(Number(id))!;
    const actual = Object.fromEntries(ACTIVITY.map((c) => [c, row[c]]));
    const want = Object.fromEntries(ACTIVITY.map((c, i) => [c, values[i]]));
    expect({ customer: Number(id), ...actual }).toEqual({ customer: Number(id), ...want });
  }
}

describe('ETL features (as-of windows)', () => {
  it('computes every column for every fixture customer, label future', () => {
    const result = buildProfiles(wh.db, { asOf: AS_OF });
    expect(result.rows).toBe(8);
    const got = rows();
    expectActivity(got, CORRECT);
    for (const [id, label] of Object.entries(FUTURE_LABELS)) expect([Number(id), got.get(Number(id))!.label]).toEqual([Number(id), label]);
    expect(result.labels).toEqual([6, 1, 1, 0]);
  });

  it('keeps the demographics of the Customer table', () => {
    buildProfiles(wh.db, { asOf: AS_OF });
    for (const [id, demo] of Object.entries(DEMOGRAPHICS)) {
      const r = rows().get(Number(id))!;
      expect(PROFILE_COLUMNS.slice(1, 7).map((c) => r[c])).toEqual(demo);
    }
  });

  it('label seed uses the 3-day spend (T1 before T2 before T3)', () => {
    buildProfiles(wh.db, { asOf: AS_OF, labelMode: 'seed' });
    const got = rows();
    for (const [id, label] of Object.entries(SEED_LABELS_CORRECT)) expect([Number(id), got.get(Number(id))!.label]).toEqual([Number(id), label]);
  });

  it('moving the as-of time moves the windows', () => {
    // One day later the 03-08 browse is day 1 (k = 1) and the future label sees (03-09, 03-12]:
    // T3 35, T2 10 and the 03-11 06:00:01 T1 1000 that was 1 s past the horizon before.
    buildProfiles(wh.db, { asOf: AS_OF + 86_400_000 });
    const r = rows().get(2)!;
    expect(r.r_60d).toBe(1);
    expect(r.T1count_3d).toBe(10); // 03-08 (k=1) only; 03-06 is k=3
    expect(r.label).toBe(1);
  });
});

describe('ETL features (seedCompat: the original script)', () => {
  it("reproduces the original's filters, joins and quirks", () => {
    buildProfiles(wh.db, { asOf: AS_OF, seedCompat: true });
    const got = rows();
    expectActivity(got, SEED_COMPAT);
    for (const [id, label] of Object.entries(FUTURE_LABELS)) expect(got.get(Number(id))!.label).toBe(label);
  });

  it('label seed with the original filters', () => {
    buildProfiles(wh.db, { asOf: AS_OF, seedCompat: true, labelMode: 'seed' });
    const got = rows();
    for (const [id, label] of Object.entries(SEED_LABELS_COMPAT)) expect([Number(id), got.get(Number(id))!.label]).toEqual([Number(id), label]);
  });

  it("its '3-day' window starts with the 10-day one, so it is not inside it", () => {
    buildProfiles(wh.db, { asOf: AS_OF, seedCompat: true });
    const c2 = rows().get(2)!;
    expect(c2.T1count_3d as number).toBeGreaterThan(c2.T1count_10d as number);
  });
});
