// The warehouse: SQLite through better-sqlite3. Writes go through prepared statements in batches,
// one transaction per batch (a transaction per row would be ~100× slower on disk).
import Database from 'better-sqlite3';
import type { EnrichedProfileRow, Warehouse as WarehousePort } from '../../ports/storage.js';
import { UserError } from '../../core/errors.js';
import { PROBABILITY_COLUMNS, PROFILE_COLUMNS, SCHEMA_SQL } from './schema.js';
import { ENRICHED_WIDTH, enrichedValues } from './profile-values.js';

export interface CustomerRow {
  customerID: number;
  age: number;
  Gender: string;
  Income: string;
  HeadofHousehold: string;
  number_household: number;
  months_residence: number;
}

export interface PurchaseRow {
  /** `YYYY-MM-DD HH:MM:SS`, UTC (the original format). */
  datetime: string;
  customerID: number;
  ProductID: string;
  amount_spent: number;
}

export interface BrowsingRow {
  customerID: number;
  /** userdatetime as epoch milliseconds. */
  ts: number;
  t1: number;
  t2: number;
  t3: number;
}

export interface WarehouseOptions {
  /**
   * The file is scratch space that its user rebuilds from scratch each time (a pipeline run's
   * warehouse.sqlite): no write-ahead log and no fsyncs. A process or machine crash in the middle of
   * a write can leave such a file damaged; the run that was writing it is lost anyway.
   */
  scratch?: boolean;
}

export const DEFAULT_BATCH_SIZE = 10_000;

/** Rows per multi-row INSERT: one statement step for 200 rows is ~3× faster than 200 single-row steps. */
const ROWS_PER_INSERT = 200;
const BROWSING_FIELDS = 5;

export class Warehouse implements WarehousePort {
  readonly db: Database.Database;
  private readonly insertCustomerStmt: Database.Statement;
  private readonly insertPurchaseStmt: Database.Statement;
  private readonly insertProductStmt: Database.Statement;
  private readonly insertBrowsingStmt: Database.Statement;
  private readonly insertBrowsingManyStmt: Database.Statement;
  private readonly insertEnrichedStmt: Database.Statement;

  /** Opens (creating if needed) a warehouse file; `:memory:` for a throwaway one. */
  constructor(
    readonly file: string,
    options: WarehouseOptions = {},
  ) {
    try {
      this.db = new Database(file);
    } catch (e) {
      throw new UserError(`cannot open warehouse: ${(e as Error).message}`, { file });
    }
    if (file !== ':memory:' && options.scratch) {
      // Rollback journal in memory (a failed transaction — an ETL attempt Data Factory retries — still
      // rolls back) and no fsyncs: ≈ 10 % of a seed-demo run's warehouse leg in wall time.
      this.db.pragma('journal_mode = MEMORY');
      this.db.pragma('synchronous = OFF');
    } else {
      // WAL + synchronous=NORMAL: durable across process crashes, without an fsync per transaction.
      if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    // 64 MiB page cache; sorts larger than that spill to temporary files (temp_store stays FILE),
    // so a 1M-customer ETL does not need its whole browsing table in memory.
    this.db.pragma('cache_size = -65536');
    try {
      this.db.exec(SCHEMA_SQL);
    } catch (e) {
      this.db.close();
      throw new UserError(`not a usable warehouse: ${(e as Error).message}`, { file });
    }
    this.insertCustomerStmt = this.db.prepare(
      'INSERT OR REPLACE INTO Customer VALUES (@customerID, @age, @Gender, @Income, @HeadofHousehold, @number_household, @months_residence)',
    );
    this.insertPurchaseStmt = this.db.prepare('INSERT INTO Purchase VALUES (?, ?, ?, ?)');
    this.insertProductStmt = this.db.prepare('INSERT OR REPLACE INTO Product VALUES (?, ?)');
    this.insertBrowsingStmt = this.db.prepare('INSERT INTO Browsing VALUES (?, ?, ?, ?, ?)');
    this.insertBrowsingManyStmt = this.db.prepare(`INSERT INTO Browsing VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', ')}`);
    const enrichedCols = [...PROFILE_COLUMNS, 'label', ...PROBABILITY_COLUMNS];
    this.insertEnrichedStmt = this.db.prepare(
      `INSERT OR REPLACE INTO Enriched_Customer_Profile (${enrichedCols.join(', ')}) VALUES (${enrichedCols.map(() => '?').join(', ')})`,
    );
  }

  /** Runs `fn` over `rows` inside one transaction. */
  private batch<T>(rows: readonly T[], fn: (row: T) => void): void {
    this.db.transaction(() => {
      for (const row of rows) fn(row);
    })();
  }

  insertCustomers(rows: readonly CustomerRow[]): void {
    this.batch(rows, (r) => this.insertCustomerStmt.run(r));
  }

  insertPurchases(rows: readonly PurchaseRow[]): void {
    this.batch(rows, (r) => this.insertPurchaseStmt.run(r.datetime, r.customerID, r.ProductID, r.amount_spent));
  }

  insertProducts(rows: readonly { ProductID: string; Product_description: string }[]): void {
    this.batch(rows, (r) => this.insertProductStmt.run(r.ProductID, r.Product_description));
  }

  insertBrowsing(rows: readonly BrowsingRow[]): void {
    const flat: number[] = [];
    for (const r of rows) flat.push(r.customerID, r.ts, r.t1, r.t2, r.t3);
    this.insertBrowsingFlat(flat);
  }

  /**
   * Inserts browsing rows given flat (customerID, ts, t1, t2, t3, customerID, …) in one transaction.
   * The loaders use this form so no per-row object is built on the hot path.
   */
  insertBrowsingFlat(values: readonly number[]): void {
    const rows = Math.floor(values.length / BROWSING_FIELDS);
    const perInsert = ROWS_PER_INSERT * BROWSING_FIELDS;
    this.db.transaction(() => {
      let i = 0;
      const args = new Array<number>(perInsert);
      for (; i + perInsert <= rows * BROWSING_FIELDS; i += perInsert) {
        for (let j = 0; j < perInsert; j++) args[j] = values[i + j];
        this.insertBrowsingManyStmt.run(args);
      }
      for (; i < rows * BROWSING_FIELDS; i += BROWSING_FIELDS) this.insertBrowsingStmt.run(values[i], values[i + 1], values[i + 2], values[i + 3], values[i + 4]);
    })();
  }

  /**
   * Runs a bulk load of reloadable input (reference CSVs, a slice's browsing) without an fsync per
   * checkpoint (synchronous=OFF; 10–20 % of a 6,000-customer ETL's wall time). A process crash
   * still leaves the file intact; an OS crash mid-load may lose the load, which is simply rerun.
   */
  async bulkLoad<T>(fn: () => Promise<T>): Promise<T> {
    if (this.file === ':memory:') return fn();
    const previous = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = OFF');
    try {
      return await fn();
    } finally {
      this.db.pragma(`synchronous = ${previous}`);
    }
  }

  /** Empties the reference tables (before loading a new set). */
  clearReference(): void {
    this.db.exec('DELETE FROM Customer; DELETE FROM Purchase; DELETE FROM Product;');
  }

  /** Empties the browsing staging table (each ETL run reads one slice's browsing). */
  clearBrowsing(): void {
    this.db.exec('DELETE FROM Browsing');
  }

  count(table: 'Customer' | 'Purchase' | 'Product' | 'Browsing' | 'Customer_Profile' | 'Enriched_Customer_Profile'): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  }

  /** Replaces each customer's enriched profile (the dashboard table refreshes every slice). */
  async writeEnrichedProfiles(rows: readonly EnrichedProfileRow[]): Promise<void> {
    this.writeEnrichedValues(enrichedValues(rows), ENRICHED_WIDTH);
  }

  /**
   * Replaces enriched profiles given as flat values: per row the 30 PROFILE_COLUMNS, the label and the
   * four probabilities (ENRICHED_WIDTH values; enrichedValues makes them from rows). The flat form is
   * what crosses to the warehouse's thread without a per-row object.
   */
  writeEnrichedValues(values: readonly (number | string | null)[], width: number): void {
    if (width !== ENRICHED_WIDTH || values.length % width !== 0) throw new Error(`enriched values: ${values.length} values are not rows of ${ENRICHED_WIDTH}`);
    this.writeEnrichedRows(values.length / width, (i, row) => {
      for (let j = 0, at = i * width; j < width; j++) row[j] = values[at + j];
    });
  }

  /**
   * Replaces enriched profiles given as the ETL's profile value rows (PROFILE_COLUMNS order) and their
   * scores: `labels[i]`, and probabilities `4·i … 4·i+3` — typed arrays that cross threads as one copy.
   */
  writeEnrichedScores(profiles: readonly (readonly (number | string)[])[], labels: Int32Array, probabilities: Float64Array): void {
    const n = PROFILE_COLUMNS.length;
    const k = PROBABILITY_COLUMNS.length;
    if (labels.length !== profiles.length || probabilities.length !== profiles.length * k)
      throw new Error(`enriched scores: ${labels.length} labels and ${probabilities.length} probabilities for ${profiles.length} profiles`);
    this.writeEnrichedRows(profiles.length, (i, row) => {
      const values = profiles[i];
      for (let j = 0; j < n; j++) row[j] = values[j];
      row[n] = labels[i];
      for (let j = 0; j < k; j++) row[n + 1 + j] = probabilities[i * k + j];
    });
  }

  /** One transaction of `count` enriched rows, each filled into one reused values array (SQLite copies it on each run). */
  private writeEnrichedRows(count: number, fill: (i: number, row: (number | string | null)[]) => void): void {
    const row = new Array<number | string | null>(ENRICHED_WIDTH);
    this.db.transaction(() => {
      for (let i = 0; i < count; i++) {
        fill(i, row);
        this.insertEnrichedStmt.run(row);
      }
    })();
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  closeSync(): void {
    if (this.db.open) this.db.close();
  }
}
