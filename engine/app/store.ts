// The application's history in SQLite: jobs (runs, matrix runs, trainings), their metric points, the
// enriched profiles of finished runs (so the UI can search, filter and page 6,000 — or 1M — rows
// without holding them in memory), matrix rows and models. One file per workspace (`app.db`).
import Database from 'better-sqlite3';
import type { JobKind, KpisDto, MetricPointDto, RunStatus, RunSummaryDto } from '../../electron/common/contract.js';

/** A job as stored: what the UI lists (RunSummaryDto) plus what only the detail views and the store need. */
export interface JobRow extends RunSummaryDto {
  detail: JobDetail | null;
  grainSeconds: number;
}

/** What a finished run leaves besides KPIs and points. */
export interface JobDetail {
  slices?: unknown[];
  cost?: unknown;
  confusion?: number[][] | null;
  /** Generator settings, so a customer's history can be regenerated for the detail view. */
  datagen?: { customers: number; seed: number; sessions: number; sampleFraction: number; start: number; asOf: number };
  outDir?: string;
}

export interface StoredProfile {
  customerID: number;
  label: number;
  probabilities: number[];
  actual: number | null;
  features: Record<string, number | string>;
}

export interface ModelRow {
  id: string;
  createdAt: string;
  source: 'trained' | 'imported' | 'default';
  params: Record<string, unknown> | null;
  metrics: Record<string, unknown> | null;
  file: string;
  bytes: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, scenario TEXT NOT NULL, status TEXT NOT NULL,
  created_at TEXT NOT NULL, finished_at TEXT, progress REAL NOT NULL DEFAULT 0, error TEXT,
  kpis TEXT, detail TEXT, combinations INTEGER NOT NULL DEFAULT 0, grain INTEGER NOT NULL DEFAULT 60, seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS points (job_id TEXT NOT NULL, t REAL NOT NULL, vals TEXT NOT NULL, PRIMARY KEY (job_id, t));
CREATE TABLE IF NOT EXISTS profiles (
  job_id TEXT NOT NULL, customer_id INTEGER NOT NULL, label INTEGER NOT NULL,
  p0 REAL, p1 REAL, p2 REAL, p3 REAL, pmax REAL, actual INTEGER, features TEXT NOT NULL, search TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (job_id, customer_id)
);
CREATE INDEX IF NOT EXISTS profiles_label ON profiles (job_id, label);
CREATE TABLE IF NOT EXISTS matrix_rows (job_id TEXT NOT NULL, idx INTEGER NOT NULL, combo TEXT NOT NULL, overrides TEXT NOT NULL, kpis TEXT NOT NULL, PRIMARY KEY (job_id, idx));
CREATE TABLE IF NOT EXISTS models (
  id TEXT PRIMARY KEY, created_at TEXT NOT NULL, source TEXT NOT NULL, params TEXT, metrics TEXT, file TEXT NOT NULL, bytes INTEGER NOT NULL, seq INTEGER NOT NULL
);
`;

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

interface RawJob {
  id: string;
  kind: JobKind;
  scenario: string;
  status: RunStatus;
  created_at: string;
  finished_at: string | null;
  progress: number;
  error: string | null;
  kpis: string | null;
  detail: string | null;
  combinations: number;
  grain: number;
}

const toJob = (r: RawJob): JobRow => ({
  id: r.id,
  kind: r.kind,
  scenario: r.scenario,
  status: r.status,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  progress: r.progress,
  error: r.error,
  kpis: json<KpisDto>(r.kpis),
  detail: json<JobDetail>(r.detail),
  combinations: r.combinations,
  grainSeconds: r.grain,
});

export interface ProfileQuery {
  search?: string;
  label?: number;
  offset: number;
  limit: number;
  sort: 'customerID' | 'probability' | 'label';
}

export class AppStore {
  private readonly db: Database.Database;
  private seq = 0;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
    // Workspaces from before the search column: add it (old rows then match id searches only).
    const columns = (this.db.prepare('PRAGMA table_info(profiles)').all() as { name: string }[]).map((c) => c.name);
    if (!columns.includes('search')) this.db.exec("ALTER TABLE profiles ADD COLUMN search TEXT NOT NULL DEFAULT ''");
    this.seq = (this.db.prepare('SELECT MAX(seq) AS s FROM jobs').get() as { s: number | null }).s ?? 0;
    // Jobs that were running when the app last stopped can never finish now.
    this.db.prepare(`UPDATE jobs SET status = 'failed', error = 'interrupted (the app was closed during the run)' WHERE status IN ('queued', 'running')`).run();
  }

  close(): void {
    this.db.close();
  }

  insertJob(job: Pick<JobRow, 'id' | 'kind' | 'scenario' | 'createdAt' | 'combinations'>): void {
    this.db
      .prepare(`INSERT INTO jobs (id, kind, scenario, status, created_at, combinations, seq) VALUES (?, ?, ?, 'queued', ?, ?, ?)`)
      .run(job.id, job.kind, job.scenario, job.createdAt, job.combinations, ++this.seq);
  }

  updateJob(id: string, patch: Partial<Pick<JobRow, 'status' | 'finishedAt' | 'progress' | 'error' | 'kpis' | 'detail' | 'grainSeconds'>>): void {
    const cols: string[] = [];
    const vals: unknown[] = [];
    const set = (col: string, val: unknown) => {
      cols.push(`${col} = ?`);
      vals.push(val);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.finishedAt !== undefined) set('finished_at', patch.finishedAt);
    if (patch.progress !== undefined) set('progress', patch.progress);
    if (patch.error !== undefined) set('error', patch.error);
    if (patch.kpis !== undefined) set('kpis', JSON.stringify(patch.kpis));
    if (patch.detail !== undefined) set('detail', JSON.stringify(patch.detail));
    if (patch.grainSeconds !== undefined) set('grain', patch.grainSeconds);
    if (cols.length === 0) return;
    this.db.prepare(`UPDATE jobs SET ${cols.join(', ')} WHERE id = ?`).run(...vals, id);
  }

  job(id: string): JobRow | null {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as RawJob | undefined;
    return r ? toJob(r) : null;
  }

  jobs(limit: number): JobRow[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY seq DESC LIMIT ?').all(limit) as RawJob[]).map(toJob);
  }

  deleteJob(id: string): boolean {
    const tx = this.db.transaction(() => {
      for (const t of ['points', 'profiles', 'matrix_rows']) this.db.prepare(`DELETE FROM ${t} WHERE job_id = ?`).run(id);
      return this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id).changes > 0;
    });
    return tx();
  }

  addPoints(jobId: string, points: readonly MetricPointDto[]): void {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO points (job_id, t, vals) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const p of points) stmt.run(jobId, p.t, JSON.stringify(p.values));
    })();
  }

  replacePoints(jobId: string, points: readonly MetricPointDto[]): void {
    this.db.prepare('DELETE FROM points WHERE job_id = ?').run(jobId);
    this.addPoints(jobId, points);
  }

  points(jobId: string): MetricPointDto[] {
    return (this.db.prepare('SELECT t, vals FROM points WHERE job_id = ? ORDER BY t').all(jobId) as { t: number; vals: string }[]).map((r) => ({
      t: r.t,
      values: JSON.parse(r.vals) as Record<string, number>,
    }));
  }

  addProfiles(jobId: string, rows: readonly StoredProfile[]): void {
    const stmt = this.db.prepare(
      'INSERT OR REPLACE INTO profiles (job_id, customer_id, label, p0, p1, p2, p3, pmax, actual, features, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const r of rows) {
        const p = r.probabilities;
        stmt.run(jobId, r.customerID, r.label, p[0], p[1], p[2], p[3], Math.max(...p), r.actual, JSON.stringify(r.features), searchText(r.features));
      }
    })();
  }

  profileCount(jobId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM profiles WHERE job_id = ?').get(jobId) as { n: number }).n;
  }

  labelCounts(jobId: string): number[] {
    const counts = [0, 0, 0, 0];
    for (const r of this.db.prepare('SELECT label, COUNT(*) AS n FROM profiles WHERE job_id = ? GROUP BY label').all(jobId) as { label: number; n: number }[])
      if (r.label >= 0 && r.label < 4) counts[r.label] = r.n;
    return counts;
  }

  queryProfiles(jobId: string, q: ProfileQuery): { total: number; rows: StoredProfile[] } {
    const where = ['job_id = ?'];
    const args: unknown[] = [jobId];
    if (q.label !== undefined) {
      where.push('label = ?');
      args.push(q.label);
    }
    const search = q.search?.trim();
    if (search) {
      // A number searches the id (prefix); text searches the profile's categorical columns (gender,
      // income, head of household) — a short column, so a search scans bytes, not whole feature rows.
      if (/^\d+$/.test(search)) {
        where.push("CAST(customer_id AS TEXT) LIKE ? ESCAPE '\\'");
        args.push(`${search}%`);
      } else {
        where.push("search LIKE ? ESCAPE '\\'");
        args.push(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
    }
    const clause = where.join(' AND ');
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM profiles WHERE ${clause}`).get(...args) as { n: number }).n;
    const order = q.sort === 'probability' ? 'pmax DESC, customer_id' : q.sort === 'label' ? 'label DESC, pmax DESC, customer_id' : 'customer_id';
    const rows = this.db
      .prepare(`SELECT customer_id, label, p0, p1, p2, p3, actual, features FROM profiles WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...args, q.limit, q.offset) as RawProfile[];
    return { total, rows: rows.map(toProfile) };
  }

  profile(jobId: string, customerId: number): StoredProfile | null {
    const r = this.db.prepare('SELECT customer_id, label, p0, p1, p2, p3, actual, features FROM profiles WHERE job_id = ? AND customer_id = ?').get(jobId, customerId) as
      | RawProfile
      | undefined;
    return r ? toProfile(r) : null;
  }

  /** Mean and standard deviation of each numeric feature over a run's profiles (for "why this label"). */
  featureStats(jobId: string): Map<string, { mean: number; sd: number }> {
    const sums = new Map<string, { n: number; s: number; s2: number }>();
    for (const r of this.db.prepare('SELECT features FROM profiles WHERE job_id = ?').iterate(jobId) as Iterable<{ features: string }>) {
      for (const [k, val] of Object.entries(JSON.parse(r.features) as Record<string, unknown>)) {
        if (typeof val !== 'number') continue;
        const a = sums.get(k) ?? { n: 0, s: 0, s2: 0 };
        a.n++;
        a.s += val;
        a.s2 += val * val;
        sums.set(k, a);
      }
    }
    const out = new Map<string, { mean: number; sd: number }>();
    for (const [k, a] of sums) {
      const mean = a.s / a.n;
      out.set(k, { mean, sd: Math.sqrt(Math.max(0, a.s2 / a.n - mean * mean)) });
    }
    return out;
  }

  allProfiles(jobId: string): Iterable<StoredProfile> {
    const it = this.db.prepare('SELECT customer_id, label, p0, p1, p2, p3, actual, features FROM profiles WHERE job_id = ? ORDER BY customer_id').iterate(jobId) as Iterable<RawProfile>;
    return (function* () {
      for (const r of it) yield toProfile(r);
    })();
  }

  addMatrixRow(jobId: string, idx: number, combo: string, overrides: Record<string, unknown>, kpis: KpisDto): void {
    this.db.prepare('INSERT OR REPLACE INTO matrix_rows (job_id, idx, combo, overrides, kpis) VALUES (?, ?, ?, ?, ?)').run(jobId, idx, combo, JSON.stringify(overrides), JSON.stringify(kpis));
  }

  matrixRows(jobId: string): { id: string; overrides: Record<string, string | number | boolean>; kpis: KpisDto }[] {
    return (this.db.prepare('SELECT combo, overrides, kpis FROM matrix_rows WHERE job_id = ? ORDER BY idx').all(jobId) as { combo: string; overrides: string; kpis: string }[]).map(
      (r) => ({ id: r.combo, overrides: JSON.parse(r.overrides), kpis: JSON.parse(r.kpis) }),
    );
  }

  insertModel(m: ModelRow): void {
    this.db
      .prepare('INSERT OR REPLACE INTO models (id, created_at, source, params, metrics, file, bytes, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(m.id, m.createdAt, m.source, m.params ? JSON.stringify(m.params) : null, m.metrics ? JSON.stringify(m.metrics) : null, m.file, m.bytes, ++this.seq);
  }

  models(): ModelRow[] {
    return (this.db.prepare('SELECT * FROM models ORDER BY seq DESC').all() as { id: string; created_at: string; source: ModelRow['source']; params: string | null; metrics: string | null; file: string; bytes: number }[]).map(
      (r) => ({ id: r.id, createdAt: r.created_at, source: r.source, params: json(r.params), metrics: json(r.metrics), file: r.file, bytes: r.bytes }),
    );
  }

  model(id: string): ModelRow | null {
    return this.models().find((m) => m.id === id) ?? null;
  }
}

/** The text a profile search matches: its categorical (string) columns, lower-cased. */
function searchText(features: Record<string, number | string>): string {
  return Object.values(features)
    .filter((v): v is string => typeof v === 'string')
    .join(' ')
    .toLowerCase();
}

interface RawProfile {
  customer_id: number;
  label: number;
  p0: number;
  p1: number;
  p2: number;
  p3: number;
  actual: number | null;
  features: string;
}

const toProfile = (r: RawProfile): StoredProfile => ({
  customerID: r.customer_id,
  label: r.label,
  probabilities: [r.p0, r.p1, r.p2, r.p3],
  actual: r.actual,
  features: JSON.parse(r.features) as Record<string, number | string>,
});
