// The ETL activity over the SQLite warehouse: each slice reads what Stream Analytics appended to its Blob
// container since the previous slice (the original read the slice's CSV files from wasb), loads it into
// the Browsing staging table and runs the ETL SQL (DESIGN §4.5) as of the data's as-of time. The label
// the ETL computes (purchases in the 3 days after as-of, or the original's leaky rule with seedCompat)
// is the ground truth the scores are compared with; it never reaches the scorer.
import { SkipLog } from '../../core/errors.js';
import type { GroundTruthSource, ProfileBuilder, ProfileRow, SliceWindow } from '../../ports/pipeline.js';
import type { ObjectStore } from '../../ports/storage.js';
import { StreamCsvBytesParser, TimestampCache, browsingRow, buildProfiles, profileFeaturesAndLabels, type Warehouse } from '../../services/warehouse/index.js';

/** A store that can hand out only the bytes appended after an offset (ChunkedMemoryStore). */
interface TailReadable {
  getFrom(container: string, name: string, offset: number): Promise<Uint8Array>;
}

export interface WarehouseEtlOptions {
  warehouse: Warehouse;
  store: ObjectStore & Partial<TailReadable>;
  container: string;
  asOf: number;
  seedCompat: boolean;
}

export class WarehouseEtl implements ProfileBuilder, GroundTruthSource {
  /** Bytes of each blob already handed to an ETL run. */
  private readonly consumed = new Map<string, number>();
  private readonly truth = new Map<number, ReadonlyMap<number, number>>();
  private readonly times = new TimestampCache();
  private readonly csv = new StreamCsvBytesParser();
  /** Malformed output rows (counted and skipped, never fatal). */
  readonly skips = new SkipLog();
  browsingRowsLoaded = 0;

  constructor(private readonly options: WarehouseEtlOptions) {}

  async buildProfiles(slice: SliceWindow): Promise<ProfileRow[]> {
    const { warehouse, store, container } = this.options;
    const pending = new Map<string, number>();
    const flat: number[] = [];
    for (const info of await store.list(container)) {
      const from = this.consumed.get(info.name) ?? 0;
      if (info.size <= from) continue;
      const fresh = store.getFrom ? await store.getFrom(container, info.name, from) : (await store.get(container, info.name)).subarray(from);
      const blob = `${container}/${info.name}`;
      this.csv.parse(fresh, flat, (text, line) => this.parseLine(text, blob, line, flat));
      pending.set(info.name, from + fresh.length);
    }
    warehouse.clearBrowsing();
    warehouse.insertBrowsingFlat(flat);
    buildProfiles(warehouse.db, { asOf: this.options.asOf, seedCompat: this.options.seedCompat, labelMode: this.options.seedCompat ? 'seed' : 'future' });
    const { features: rows, labels } = profileFeaturesAndLabels(warehouse.db);
    // Only a finished ETL run consumes its input: a failed attempt leaves it for the retry.
    for (const [name, size] of pending) this.consumed.set(name, size);
    this.browsingRowsLoaded += flat.length / 5;
    this.truth.set(slice.index, labels);
    return rows;
  }

  async labels(slice: SliceWindow): Promise<ReadonlyMap<number, number>> {
    return this.truth.get(slice.index) ?? new Map();
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
