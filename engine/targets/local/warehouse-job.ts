// The warehouse side of the local target's Data Factory activities, as one object that owns the SQLite
// warehouse: it loads the reference tables, stages what Stream Analytics appends to its Blob container as
// the appends happen, runs a slice's ETL SQL (DESIGN §4.5) over what was staged, and writes the enriched
// profiles. It runs on its own thread (warehouse-thread.ts posts it every call, in order), so the SQL and
// the CSV parsing use the second core while the simulation goes on; its methods are synchronous and
// also callable in-thread (tests compare the two).
//
// Which rows a slice's ETL reads: every row appended since the previous successful ETL, as in the
// original, where a slice read the CSV files Stream Analytics wrote since the previous slice. Calls
// arrive in the order they were made on the simulation's clock, so the rows staged when `etl()` runs are
// exactly those appended before the ETL started. A failed ETL leaves its rows staged for the retry.
import { rmSync } from 'node:fs';
import { SkipLog, type SkippedRecord } from '../../core/errors.js';
import type { DatagenConfig } from '../../datagen/index.js';
import { ENRICHED_WIDTH, StreamCsvBytesParser, TimestampCache, Warehouse, browsingRow, buildProfiles, profileValuesAndLabels } from '../../services/warehouse/index.js';
import { loadGeneratedReference } from './reference.js';

export interface WarehouseJobOptions {
  /** SQLite file (`:memory:` for none): scratch — replaced by a new one, no fsyncs. */
  file: string;
  /** The generator whose reference tables (customers, purchases, products) the warehouse holds. */
  generator: DatagenConfig;
  /** The data's as-of time (epoch ms). */
  asOf: number;
  seedCompat: boolean;
}

/** What one ETL run hands back: the profiles as value rows, the true labels, and what was skipped. */
export interface EtlOutput {
  /** Names this output for writeScores (the job keeps its rows until they are written). */
  id: number;
  /** One row per customer: the 30 PROFILE_COLUMNS values, in that order. */
  values: (number | string)[][];
  /** The true label (0..3) of each row, same order. */
  labels: number[];
  /** Browsing rows the run read. */
  rowsLoaded: number;
  /** Malformed input lines counted since the previous ETL output (and how many in all). */
  skipped: SkippedRecord[];
  skippedCount: number;
}

const BROWSING_FIELDS = 5;
/** ETL outputs kept for writeScores at most (a slice's scores follow its ETL: only a few can be waiting). */
const MAX_OUTPUTS_KEPT = 8;

export class WarehouseJob {
  readonly warehouse: Warehouse;
  private readonly csv = new StreamCsvBytesParser();
  private readonly times = new TimestampCache();
  /** Lines seen so far in each blob, so a skipped line is named by its line in the blob. */
  private readonly linesSeen = new Map<string, number>();
  /** Rows staged in Browsing and not yet read by a successful ETL. */
  private staged = 0;
  /**
   * Browsing still holds the rows the last successful ETL read: they are deleted just before new rows
   * are staged or another ETL runs, so a finished run's warehouse shows what its last ETL read.
   */
  private holdsConsumed = false;
  /** Skipped lines since the last ETL output (the first few kept; the count is exact). */
  private skips = new SkipLog();
  private readonly flat: number[] = [];
  /** Profile rows of recent ETL outputs, by id, until their scores are written. */
  private readonly outputs = new Map<number, (number | string)[][]>();
  private outputsMade = 0;

  constructor(private readonly options: WarehouseJobOptions) {
    // Scratch: the run's own file, made anew — an earlier run's rows (more customers, staged browsing) must not leak in.
    if (options.file !== ':memory:') for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(options.file + suffix, { force: true });
    this.warehouse = new Warehouse(options.file, { scratch: true });
  }

  /** Fills Customer, Purchase and Product from the generator. */
  loadReference(): void {
    loadGeneratedReference(this.warehouse, this.options.generator);
  }

  /** Stages what Stream Analytics appended to `blob` (its name with the container: `container/path`). */
  append(blob: string, bytes: Uint8Array): void {
    this.dropConsumed();
    const flat = this.flat;
    flat.length = 0;
    // The parser numbers lines from 1 in each append: offset by the lines the blob already had.
    const before = this.linesSeen.get(blob) ?? 0;
    const lines = this.csv.parse(bytes, flat, (text, line) => this.parseLine(text, blob, before + line, flat));
    this.linesSeen.set(blob, before + lines);
    this.warehouse.insertBrowsingFlat(flat);
    this.staged += flat.length / BROWSING_FIELDS;
  }

  /** Runs the ETL over the staged rows; on success they are consumed, on failure they stay for the retry. */
  etl(): EtlOutput {
    const { warehouse } = this;
    this.dropConsumed();
    buildProfiles(warehouse.db, { asOf: this.options.asOf, seedCompat: this.options.seedCompat, labelMode: this.options.seedCompat ? 'seed' : 'future' });
    const { values, labels } = profileValuesAndLabels(warehouse.db);
    this.holdsConsumed = true;
    const rowsLoaded = this.staged;
    this.staged = 0;
    const skipped = this.takeSkips();
    const id = ++this.outputsMade;
    this.outputs.set(id, values);
    // A slice's scores are written soon after its ETL; only a few outputs can be waiting at once.
    for (const old of this.outputs.keys()) if (this.outputs.size > MAX_OUTPUTS_KEPT) this.outputs.delete(old);
    return { id, values, labels, rowsLoaded, ...skipped };
  }

  private dropConsumed(): void {
    if (!this.holdsConsumed) return;
    this.warehouse.clearBrowsing();
    this.holdsConsumed = false;
  }

  /** Skips counted since the last call (an ETL that fails still reports what it skipped). */
  takeSkips(): { skipped: SkippedRecord[]; skippedCount: number } {
    const { examples, count } = this.skips;
    this.skips = new SkipLog();
    return { skipped: examples, skippedCount: count };
  }

  /** Replaces customers' enriched profiles: `values` holds ENRICHED_WIDTH values per row (enrichedValues). */
  writeEnriched(values: readonly (number | string | null)[]): void {
    this.warehouse.writeEnrichedValues(values, ENRICHED_WIDTH);
  }

  /**
   * Writes the enriched profiles of ETL output `id`, row for row, with their scores (labels; 4
   * probabilities per row). Each output's scores are written once: its rows are then let go (a second
   * write of the same profiles comes whole).
   */
  writeScores(id: number, labels: Int32Array, probabilities: Float64Array): void {
    const profiles = this.outputs.get(id);
    if (!profiles) throw new Error(`no ETL output ${id} to write scores for (kept until written, at most the last ${MAX_OUTPUTS_KEPT})`);
    this.warehouse.writeEnrichedScores(profiles, labels, probabilities);
    this.outputs.delete(id);
  }

  close(): void {
    this.warehouse.closeSync();
  }

  /**
   * A Stream Analytics CSV row (`userdatetime,customerid,category_t1,category_t2,category_t3,partitionid`)
   * that the byte parser did not take (it reads only the canonical form): read from its text, a
   * well-formed row with indexOf rather than split, anything odd through the loader's checks.
   */
  private parseLine(text: string, blob: string, line: number, flat: number[]): void {
    const c1 = text.indexOf(',');
    const c2 = c1 < 0 ? -1 : text.indexOf(',', c1 + 1);
    const c3 = c2 < 0 ? -1 : text.indexOf(',', c2 + 1);
    const c4 = c3 < 0 ? -1 : text.indexOf(',', c3 + 1);
    const c5 = c4 < 0 ? -1 : text.indexOf(',', c4 + 1);
    const c6 = c5 < 0 ? -1 : text.indexOf(',', c5 + 1);
    if (c5 >= 0 && c6 < 0) {
      const ts = this.times.parse(text.slice(0, c1));
      const id = +text.slice(c1 + 1, c2);
      const t1 = +text.slice(c2 + 1, c3);
      const t2 = +text.slice(c3 + 1, c4);
      const t3 = +text.slice(c4 + 1, c5);
      if (ts === ts && id >= 1 && Number.isInteger(id) && c3 > c2 + 1 && c4 > c3 + 1 && c5 > c4 + 1 && Number.isFinite(t1 + t2 + t3)) {
        flat.push(id, ts, t1, t2, t3);
        return;
      }
    }
    this.parseOddLine(text, blob, line, flat);
  }

  /** A line that is not a plain well-formed row: counted and skipped with its reason, or loaded after the loader's checks. */
  private parseOddLine(t: string, blob: string, line: number, flat: number[]): void {
    const f = t.split(',');
    if (f.length !== 6) {
      this.skips.add({ file: blob, line, reason: `expected 6 fields, found ${f.length}` });
      return;
    }
    const row = browsingRow({ userdatetime: f[0], customerid: f[1], category_t1: f[2], category_t2: f[3], category_t3: f[4] }, this.times);
    if (typeof row === 'string') this.skips.add({ file: blob, line, reason: row });
    else flat.push(row.customerID, row.ts, row.t1, row.t2, row.t3);
  }
}
