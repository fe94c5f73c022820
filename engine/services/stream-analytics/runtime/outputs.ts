// Output sinks: in-memory (for the pipeline and tests) and Blob through the ObjectStore port
// (CSV or JSON lines, path patterns {date} {time} {datetime:…} and one {field}, batching by rows/time).
import { UserError } from '../../../core/errors.js';
import type { ObjectStore } from '../../../ports/storage.js';
import type { BlobOutputDefinition } from '../job-config.js';
import type { Row } from './row.js';
import { DateTime, jsonReplacer, toCsvText, toJsonValue, type Value } from './values.js';
import { putColumn } from './columns.js';

export interface OutputSink {
  write(row: Row, nowUs: number): void;
  /** Time moved on: flush batches older than their maximum wait. */
  tick(nowUs: number): void;
  close(): void;
  /** Resolves when every write handed to the store has finished (rejects with the first store error). */
  drain(): Promise<void>;
}

/** Rows go only to the job's onOutput listeners (the pipeline's default: nothing is retained). */
export class ListenerOutput implements OutputSink {
  write(): void {}
  tick(): void {}
  close(): void {}
  async drain(): Promise<void> {}
}

/** Keeps every row (tests, small runs). */
export class MemoryOutput implements OutputSink {
  readonly rows: Row[] = [];
  write(row: Row): void {
    this.rows.push(row);
  }
  tick(): void {}
  close(): void {}
  async drain(): Promise<void> {}
}

/** A row as a JSON-ready object (datetimes formatted, bigint as numbers). */
export function rowToJson(row: Row): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k in row.rec) {
    const v = row.rec[k] as Value;
    putColumn(o, k, v !== null && typeof v === 'object' && !(v instanceof DateTime) ? JSON.parse(JSON.stringify(v, jsonReplacer)) : toJsonValue(v));
  }
  return o;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Renders a dateFormat/timeFormat/{datetime:…} spec (yyyy, MM, M, dd, d, HH, H, mm, m, ss, s) in UTC. */
export function renderTimeSpec(spec: string, us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return spec.replace(/yyyy|YYYY|MM|M|dd|DD|d|HH|H|mm|m|ss|s/g, (tok) => {
    switch (tok) {
      case 'yyyy':
      case 'YYYY':
        return pad(d.getUTCFullYear(), 4);
      case 'MM':
        return pad(d.getUTCMonth() + 1);
      case 'M':
        return String(d.getUTCMonth() + 1);
      case 'dd':
      case 'DD':
        return pad(d.getUTCDate());
      case 'd':
        return String(d.getUTCDate());
      case 'HH':
        return pad(d.getUTCHours());
      case 'H':
        return String(d.getUTCHours());
      case 'mm':
        return pad(d.getUTCMinutes());
      case 'm':
        return String(d.getUTCMinutes());
      case 'ss':
        return pad(d.getUTCSeconds());
      default:
        return String(d.getUTCSeconds());
    }
  });
}

/** Compiles a Blob path pattern into a function of (row, time). */
export function compilePathPattern(def: BlobOutputDefinition): (row: Row, us: number) => string {
  const parts: ((row: Row, us: number) => string)[] = [];
  let customFields = 0;
  let rowDependent = false;
  /** The time specs of the pattern, in order; a part renders the i-th one from the per-second cache. */
  const timeParts: string[] = [];
  const timePart = (spec: string): ((row: Row, us: number) => string) => {
    const i = timeParts.length;
    timeParts.push(spec);
    return () => times[i];
  };
  const re = /\{([^}]*)\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(def.pathPattern))) {
    const literal = def.pathPattern.slice(last, m.index);
    parts.push(() => literal);
    last = m.index + m[0].length;
    const token = m[1];
    const lower = token.toLowerCase();
    if (lower === 'date') parts.push(timePart(def.dateFormat));
    else if (lower === 'time') parts.push(timePart(def.timeFormat));
    else if (lower.startsWith('datetime:')) {
      const spec = token.slice('datetime:'.length);
      if (!/^(yyyy|MM|M|dd|d|HH|H|mm|m|ss|s)$/.test(spec))
        throw new UserError(`path pattern {datetime:${spec}}: one specifier of yyyy, MM, M, dd, d, HH, H, mm, m, ss, s`, { field: 'pathPattern' });
      parts.push(timePart(spec));
    } else if (lower === 'partition') {
      // Documented for Blob inputs only; on output we write the row's partition (UNVERIFIED, FIDELITY.md #18).
      parts.push((row) => String(row.pid));
      rowDependent = true;
    } else {
      if (++customFields > 1) throw new UserError('a path pattern may use only one custom {field}', { field: 'pathPattern' });
      const lname = lower;
      rowDependent = true;
      parts.push((row) => {
        for (const k in row.rec) if (k.toLowerCase() === lname) return toCsvText(row.rec[k] as Value);
        return '';
      });
    }
  }
  const tail = def.pathPattern.slice(last);
  parts.push(() => tail);
  // Every row of an output asks for its path, and rows come in time order: the specs go down to whole
  // seconds, so the rendered time parts (and, without row fields, the whole path) are reused until the
  // second changes (rendering them per row was ~5% of a seed-demo run).
  const times: string[] = new Array<string>(timeParts.length);
  let second = Number.NaN;
  let path = '';
  const render = (row: Row, us: number): string => parts.map((p) => p(row, us)).join('').replace(/^\/+/, '');
  return (row, us) => {
    const s = Math.floor(us / 1e6);
    if (s !== second) {
      for (let i = 0; i < timeParts.length; i++) times[i] = renderTimeSpec(timeParts[i], us);
      second = s;
      if (!rowDependent) path = render(row, us);
    }
    return rowDependent ? render(row, us) : path;
  };
}

function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A stable writer id shaped like a GUID (the service uses a random one; ours must be deterministic). */
export function writerGuid(seed: string): string {
  const hex = [0, 1, 2, 3].map((i) => fnv(`${seed}#${i}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Blob output: one blob per path bucket (`{prefix}/{schemaHash}_{guid}_{n}.{ext}`), rows appended in
 * batches flushed at minRows or after maxWait (spec §5.1-§5.2). Writes are queued on the port in order.
 */
export class BlobOutput implements OutputSink {
  private readonly path: (row: Row, us: number) => string;
  private readonly guid: string;
  private batch: Row[] = [];
  private batchPath = '';
  private batchStartUs = 0;
  private columns: string[] | undefined;
  private readonly blobsWithHeader = new Set<string>();
  private tail: Promise<void> = Promise.resolve();
  private error: unknown;
  blobsWritten = 0;

  constructor(
    private readonly def: BlobOutputDefinition,
    private readonly store: ObjectStore,
    writerSeed: string,
    private readonly options: { csvHeader: boolean; pathTime: 'systemTimestamp' | 'wallClock' },
  ) {
    this.path = compilePathPattern(def);
    this.guid = writerGuid(writerSeed);
  }

  write(row: Row, nowUs: number): void {
    const us = this.options.pathTime === 'systemTimestamp' ? row.ts : nowUs;
    const prefix = this.path(row, us);
    if (!this.columns) this.columns = Object.keys(row.rec);
    if (this.batch.length > 0 && prefix !== this.batchPath) this.flush();
    if (this.batch.length === 0) {
      this.batchPath = prefix;
      this.batchStartUs = nowUs;
    }
    this.batch.push(row);
    if (this.batch.length >= this.def.minRows) this.flush();
  }

  tick(nowUs: number): void {
    if (this.batch.length > 0 && nowUs - this.batchStartUs >= this.def.maxWaitSeconds * 1e6) this.flush();
  }

  close(): void {
    this.flush();
  }

  private blobName(prefix: string, columns: string[]): string {
    const hash = fnv(columns.join(',')) % 100000;
    const ext = this.def.format === 'Csv' ? 'csv' : 'json';
    return `${prefix ? prefix.replace(/\/?$/, '/') : ''}${hash}_${this.guid}_1.${ext}`;
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    const columns = this.columns ?? Object.keys(rows[0].rec);
    const name = this.blobName(this.batchPath, columns);
    let text = '';
    if (this.def.format === 'Csv') {
      const d = this.def.delimiter;
      if (this.options.csvHeader && !this.blobsWithHeader.has(name)) {
        this.blobsWithHeader.add(name);
        this.blobsWritten++;
        text += columns.map((c) => csvField(c, d)).join(d) + '\r\n';
      }
      // Plain loops: this runs for every output row (no per-row arrays for map/join).
      for (const r of rows) {
        let line = '';
        for (let i = 0; i < columns.length; i++) line += (i === 0 ? '' : d) + csvField(toCsvText(r.rec[columns[i]] as Value), d);
        text += line + '\r\n';
      }
    } else {
      if (!this.blobsWithHeader.has(name)) {
        this.blobsWithHeader.add(name);
        this.blobsWritten++;
      }
      for (const r of rows) text += JSON.stringify(rowToJson(r)) + '\n';
    }
    const container = this.def.container;
    this.tail = this.tail.then(() => this.store.append(container, name, text)).catch((e) => {
      this.error ??= e;
    });
  }

  async drain(): Promise<void> {
    await this.tail;
    if (this.error) throw this.error;
  }
}

function csvField(text: string, delimiter: string): string {
  if (needsQuotes(text, delimiter)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** Whether a CSV field holds the delimiter, a quote or a line break (one scan; no regex per field). */
function needsQuotes(text: string, delimiter: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 13 || c === 10) return true;
  }
  return text.includes(delimiter);
}
