// The ETL (DESIGN §4.5) as SQL over the warehouse: daily browsing aggregates joined to the purchases
// made one day earlier, summed over 30/10/3-day windows, plus 60-day recency/frequency/monetary,
// one row per Customer (customers with no activity get zeros), and a label.
//
// Two window definitions:
//  * default — days are aligned to the as-of time A: day k holds times in (A−(k+1)·D, A−k·D], so the
//    w-day window is (A − w·D, A] and 3d ⊂ 10d ⊂ 30d ⊂ 60d. A purchase belongs to day k+1 when it
//    is joined to browsing of day k ("made one day earlier"). r_60d is the age in whole days of the
//    most recent active day (0 = active on the as-of day; also 0 with f_60d = 0 when inactive).
//  * seedCompat — the original Spark script's filters, re-expressed relative to A (its literals were
//    A = 2017-03-08 06:00): 30d = [A−30d−1s, A−1s), 10d = [A−10d−1s, A−1s), the "3d" window is
//    [A−10d−1s, ∞) (the original's quirk: it starts with the 10-day one and has no end),
//    60d = [A−60d−1s, A−1s); browsing rows are grouped by exact userdatetime and joined to every
//    purchase whose calendar date is one day earlier (no pre-aggregation, as the original);
//    10d/3d values exist only for customers with 30-day activity (the original LEFT JOINs onto the
//    30-day table); r_60d = datediff(date(A), date(last activity)).
//
// Labels: `future` — the category bought in (A, A+3d], the largest spend if several (ties → lower
// category), 0 if none; `seed` — the original rule: 1 if T1spend_3d > 0, else 2 if T2spend_3d > 0,
// else 3 if T3spend_3d > 0, else 0 (the original UNION would emit a customer with spend in two
// categories twice; here the first matching label wins, so there is one row per customer).
import type Database from 'better-sqlite3';
import { UserError } from '../../core/errors.js';
import { CsvWriter } from '../../io/csv-file.js';
import { PROFILE_COLUMNS } from './schema.js';
import { profileFromValues, type ProfileValues } from './profile-values.js';

export type LabelMode = 'future' | 'seed';

export interface EtlOptions {
  /** As-of time, epoch ms. */
  asOf: number;
  seedCompat?: boolean;
  labelMode?: LabelMode;
  /** Horizon of the `future` label in days (3). */
  labelDays?: number;
}

export interface EtlResult {
  rows: number;
  /** Customers per label 0..3. */
  labels: [number, number, number, number];
}

const DAY = 86_400_000;

/** The 18 window columns (30d, 10d, 3d × count/spend × T1..T3), in profile order. */
const WINDOW_COLUMNS = [30, 10, 3].flatMap((w) => ['count', 'spend'].flatMap((kind) => [1, 2, 3].map((k) => `T${k}${kind}_${w}d`)));
/** The 23 activity columns: the window columns, then r/f/m over 60 days. */
const ACTIVITY_NAMES = [...WINDOW_COLUMNS, 'r_60d', 'f_60d', 'T1_m_60d', 'T2_m_60d', 'T3_m_60d'];

const PURCHASES = `
  SELECT customerID, unixepoch(datetime) * 1000 AS ts,
         CASE WHEN ProductID = 'T1' THEN amount_spent ELSE 0 END AS s1,
         CASE WHEN ProductID = 'T2' THEN amount_spent ELSE 0 END AS s2,
         CASE WHEN ProductID = 'T3' THEN amount_spent ELSE 0 END AS s3
  FROM Purchase`;

function windowSums(w: number, cond: string): string {
  return [
    ...[1, 2, 3].map((k) => `SUM(CASE WHEN ${cond} THEN t${k} ELSE 0 END) AS T${k}count_${w}d`),
    ...[1, 2, 3].map((k) => `SUM(CASE WHEN ${cond} THEN s${k} ELSE 0 END) AS T${k}spend_${w}d`),
  ].join(',\n    ');
}

/**
 * Per-customer activity, default (as-of aligned) windows. Columns: customerID + the 23 activity columns.
 *
 * Browsing is aggregated in ONE pass grouped by customer (sorting millions of rows is the ETL's main
 * cost; a per-day GROUP BY followed by a per-customer one sorted twice). The days a customer was
 * active are kept as a 60-bit mask (SUM(DISTINCT 1 << k) is a bitwise OR, since distinct powers of
 * two add without carries), and the purchases — few — are joined to that mask: a purchase on day
 * k+1 counts when bit k is set, i.e. the customer browsed the day after buying.
 */
const ACTIVITY_CORRECT = `
WITH b AS (
  SELECT customerID,
    ${[30, 10, 3].flatMap((w) => [1, 2, 3].map((k) => `SUM(CASE WHEN ts > @asOf - ${w} * ${DAY} THEN category_t${k} ELSE 0 END) AS T${k}count_${w}d`)).join(',\n    ')},
    MIN((@asOf - ts) / ${DAY}) AS r_60d,
    SUM(DISTINCT 1 << ((@asOf - ts) / ${DAY})) AS days
  FROM Browsing
  WHERE ts <= @asOf AND ts > @asOf - 60 * ${DAY}
  GROUP BY customerID
), bf AS (
  -- f_60d = number of active days = popcount(days), by SWAR bit counting (masks are < 2^60, so no
  -- step overflows); ~15% faster than a COUNT(DISTINCT day) in the big GROUP BY above. The last step
  -- adds the eight byte counts as x3 % 255 (256 ≡ 1 mod 255, and the sum is < 255) rather than with
  -- eight shifts: SQLite flattens these nested SELECTs into one expression in which every use of a
  -- level repeats the whole level below it, so eight uses of x3 meant 64 copies of days per row
  -- (≈ 10 ms of a seed-demo slice's 60 ms activity query, measured; now 8 copies).
  SELECT *, ((x2 + (x2 >> 4)) & 0x0F0F0F0F0F0F0F0F) % 255 AS f_60d FROM (
    SELECT *, (x1 & 0x3333333333333333) + ((x1 >> 2) & 0x3333333333333333) AS x2 FROM (
      SELECT *, days - ((days >> 1) & 0x5555555555555555) AS x1 FROM b))
), p AS (
  SELECT customerID, (@asOf - ts) / ${DAY} AS k, SUM(s1) AS s1, SUM(s2) AS s2, SUM(s3) AS s3
  FROM (${PURCHASES})
  WHERE ts <= @asOf - ${DAY} AND ts > @asOf - 61 * ${DAY}
  GROUP BY customerID, k
), s AS (
  SELECT p.customerID,
    ${[30, 10, 3].flatMap((w) => [1, 2, 3].map((k) => `SUM(CASE WHEN p.k - 1 < ${w} THEN s${k} ELSE 0 END) AS T${k}spend_${w}d`)).join(',\n    ')},
    SUM(s1) AS T1_m_60d, SUM(s2) AS T2_m_60d, SUM(s3) AS T3_m_60d
  FROM p JOIN bf ON bf.customerID = p.customerID AND (bf.days >> (p.k - 1)) & 1 = 1
  GROUP BY p.customerID
)
SELECT bf.customerID,
    ${ACTIVITY_NAMES.map((c) => (c.includes('spend') || c.includes('_m_') ? `s.${c}` : `bf.${c}`)).join(', ')}
FROM bf LEFT JOIN s ON s.customerID = bf.customerID`;

/** Per-customer activity with the original script's filters (see the header comment). */
const ACTIVITY_SEED = `
WITH ub AS (
  SELECT customerID, ts, SUM(category_t1) AS t1, SUM(category_t2) AS t2, SUM(category_t3) AS t3
  FROM Browsing GROUP BY customerID, ts
), pt AS (${PURCHASES}
), m AS (
  SELECT a.customerID, a.ts, a.t1, a.t2, a.t3,
         COALESCE(b.s1, 0) AS s1, COALESCE(b.s2, 0) AS s2, COALESCE(b.s3, 0) AS s3
  FROM ub a LEFT JOIN pt b ON a.customerID = b.customerID AND a.ts / ${DAY} - b.ts / ${DAY} = 1
), w AS (
  SELECT customerID,
    MAX(ts >= @asOf - 30 * ${DAY} - 1000 AND ts < @asOf - 1000) AS in30,
    ${windowSums(30, `ts >= @asOf - 30 * ${DAY} - 1000 AND ts < @asOf - 1000`)},
    ${windowSums(10, `ts >= @asOf - 10 * ${DAY} - 1000 AND ts < @asOf - 1000`)},
    ${windowSums(3, `ts >= @asOf - 10 * ${DAY} - 1000`)},
    MAX(ts >= @asOf - 60 * ${DAY} - 1000 AND ts < @asOf - 1000) AS in60,
    @asOf / ${DAY} - MAX(CASE WHEN ts >= @asOf - 60 * ${DAY} - 1000 AND ts < @asOf - 1000 THEN ts END) / ${DAY} AS r_60d,
    SUM(ts >= @asOf - 60 * ${DAY} - 1000 AND ts < @asOf - 1000) AS f_60d,
    SUM(CASE WHEN ts >= @asOf - 60 * ${DAY} - 1000 AND ts < @asOf - 1000 THEN s1 ELSE 0 END) AS T1_m_60d,
    SUM(CASE WHEN ts >= @asOf - 60 * ${DAY} - 1000 AND ts < @asOf - 1000 THEN s2 ELSE 0 END) AS T2_m_60d,
    SUM(CASE WHEN ts >= @asOf - 60 * ${DAY} - 1000 AND ts < @asOf - 1000 THEN s3 ELSE 0 END) AS T3_m_60d
  FROM m GROUP BY customerID
)
SELECT customerID,
    ${WINDOW_COLUMNS.map((c) => `CASE WHEN in30 THEN ${c} END AS ${c}`).join(',\n    ')},
    CASE WHEN in60 THEN r_60d END AS r_60d, CASE WHEN in60 THEN f_60d END AS f_60d,
    CASE WHEN in60 THEN T1_m_60d END AS T1_m_60d, CASE WHEN in60 THEN T2_m_60d END AS T2_m_60d,
    CASE WHEN in60 THEN T3_m_60d END AS T3_m_60d
FROM w`;

const FUTURE_LABEL = `
  SELECT customerID, ROUND(SUM(s1), 2) AS f1, ROUND(SUM(s2), 2) AS f2, ROUND(SUM(s3), 2) AS f3
  FROM (${PURCHASES})
  WHERE ts > @asOf AND ts <= @asOf + @labelDays * ${DAY}
  GROUP BY customerID`;

const ACTIVITY_COLUMNS = PROFILE_COLUMNS.slice(7);
const DEMOGRAPHICS = PROFILE_COLUMNS.slice(1, 7);

function profileSql(seedCompat: boolean, labelMode: LabelMode): string {
  const activity = seedCompat ? ACTIVITY_SEED : ACTIVITY_CORRECT;
  // Sums are rounded to cents: the inputs have at most two decimals, the float noise does not.
  const cols = ACTIVITY_COLUMNS.map((c) => `COALESCE(ROUND(a.${c}, 2), 0) AS ${c}`);
  const label =
    labelMode === 'future'
      ? `CASE WHEN f.customerID IS NULL OR MAX(f.f1, f.f2, f.f3) <= 0 THEN 0
              WHEN f.f1 >= f.f2 AND f.f1 >= f.f3 THEN 1 WHEN f.f2 >= f.f3 THEN 2 ELSE 3 END`
      : `CASE WHEN COALESCE(a.T1spend_3d, 0) > 0 THEN 1 WHEN COALESCE(a.T2spend_3d, 0) > 0 THEN 2
              WHEN COALESCE(a.T3spend_3d, 0) > 0 THEN 3 ELSE 0 END`;
  // Every customer, with its activity if any: `activity RIGHT JOIN Customer` rather than `Customer LEFT
  // JOIN activity`, so SQLite walks the activity rows and finds each customer by its primary key instead
  // of first copying the 23-column activity table into an automatic index (≈ 6 % of a seed-demo slice's
  // ETL). Rows then arrive in no particular order, which a table keyed by customerID does not mind.
  return `
INSERT INTO Customer_Profile (${PROFILE_COLUMNS.join(', ')}, label)
SELECT c.customerID, ${DEMOGRAPHICS.map((d) => `c.${d}`).join(', ')},
    ${cols.join(',\n    ')},
    ${label} AS label
FROM (${activity}) a
RIGHT JOIN Customer c ON a.customerID = c.customerID
${labelMode === 'future' ? `LEFT JOIN (${FUTURE_LABEL}) f ON f.customerID = c.customerID` : ''}`;
}

/** Rebuilds Customer_Profile (one row per Customer) as of `options.asOf`. */
export function buildProfiles(db: Database.Database, options: EtlOptions): EtlResult {
  const labelMode = options.labelMode ?? 'future';
  if (labelMode !== 'future' && labelMode !== 'seed') throw new UserError(`unknown label mode "${String(labelMode)}" (future or seed)`);
  if (!Number.isFinite(options.asOf)) throw new UserError('as-of time is not a valid time');
  // BigInt binds as an SQLite INTEGER, so `(@asOf - ts) / D` is integer division (a JS number would
  // bind as REAL and make day indexes fractional).
  const params: Record<string, bigint> = { asOf: BigInt(Math.round(options.asOf)) };
  if (labelMode === 'future') params.labelDays = BigInt(options.labelDays ?? 3);
  const insert = db.prepare(profileSql(Boolean(options.seedCompat), labelMode));
  db.transaction(() => {
    db.exec('DELETE FROM Customer_Profile');
    insert.run(params);
  })();
  const labels: [number, number, number, number] = [0, 0, 0, 0];
  for (const r of db.prepare('SELECT label, COUNT(*) AS n FROM Customer_Profile GROUP BY label').all() as { label: number; n: number }[]) {
    if (r.label >= 0 && r.label <= 3) labels[r.label] = r.n;
  }
  return { rows: labels.reduce((a, b) => a + b, 0), labels };
}

export type ProfileRow = Record<(typeof PROFILE_COLUMNS)[number], number | string> & { label: number };

/** Streams Customer_Profile in customerID order. */
export function* profileRows(db: Database.Database): Generator<ProfileRow> {
  yield* db.prepare(`SELECT ${PROFILE_COLUMNS.join(', ')}, label FROM Customer_Profile ORDER BY customerID`).iterate() as Iterable<ProfileRow>;
}

/** Customer_Profile in customerID order, split into the 30 features and the label (read as raw arrays in one call). */
/** Customer_Profile in customerID order as value rows (the 30 PROFILE_COLUMNS) and their labels. */
export function profileValuesAndLabels(db: Database.Database): { values: (number | string)[][]; labels: number[] } {
  const values = db.prepare(`SELECT ${PROFILE_COLUMNS.join(', ')}, label FROM Customer_Profile ORDER BY customerID`).raw().all() as (number | string)[][];
  const labels = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) labels[i] = values[i].pop() as number;
  return { values, labels };
}

/** Customer_Profile as profile objects in customerID order, and each customer's label. */
export function profileFeaturesAndLabels(db: Database.Database): { features: ProfileValues[]; labels: Map<number, number> } {
  const { values, labels: byRow } = profileValuesAndLabels(db);
  const features = new Array<ProfileValues>(values.length);
  const labels = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    features[i] = profileFromValues(values[i]);
    labels.set(Number(values[i][0]), byRow[i]);
  }
  return { features, labels };
}

/** Writes Customer_Profile as CSV with the original header (30 features + label). */
export async function writeProfilesCsv(db: Database.Database, file: string): Promise<number> {
  const cols = [...PROFILE_COLUMNS, 'label'];
  const out = new CsvWriter(file, cols);
  let n = 0;
  for (const row of db.prepare(`SELECT ${cols.join(', ')} FROM Customer_Profile ORDER BY customerID`).raw().iterate() as Iterable<(number | string)[]>) {
    await out.write(row);
    n++;
  }
  await out.close();
  return n;
}
