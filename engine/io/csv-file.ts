// CSV files with line numbers: malformed rows are reported (file:line), counted and skipped;
// a missing file or required column is a UserError.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseCsvLine, formatCsvRow, CsvSyntaxError } from '../core/csv.js';
import { UserError, SkipLog } from '../core/errors.js';
import { readLines } from './lines.js';

export interface CsvRecord {
  /** Field values by column name. */
  values: Record<string, string>;
  /** Field values in column order. */
  fields: string[];
  line: number;
}

export interface ReadCsvOptions {
  /** Column names for a file without a header row. When absent, the first line is the header. */
  columns?: readonly string[];
  /** Columns that must be present in the header. */
  required?: readonly string[];
  /** Where malformed rows are counted. */
  skips?: SkipLog;
}

export async function* readCsv(file: string, options: ReadCsvOptions = {}): AsyncGenerator<CsvRecord> {
  let columns = options.columns ? [...options.columns] : null;
  const skips = options.skips ?? new SkipLog();
  for await (const { text, line } of readLines(file)) {
    if (text.length === 0) continue;
    let fields: string[];
    try {
      fields = parseCsvLine(text);
    } catch (e) {
      if (e instanceof CsvSyntaxError && columns) {
        skips.add({ file, line, reason: e.message });
        continue;
      }
      throw new UserError(`cannot parse CSV header: ${(e as Error).message}`, { file, line });
    }
    if (!columns) {
      columns = fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
      for (const name of options.required ?? []) {
        if (!columns.includes(name))
          throw new UserError(`missing column "${name}" (header has: ${columns.join(', ')})`, { file, line });
      }
      continue;
    }
    if (fields.length !== columns.length) {
      skips.add({ file, line, reason: `expected ${columns.length} fields, found ${fields.length}` });
      continue;
    }
    const values: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) values[columns[i]] = fields[i];
    yield { values, fields, line };
  }
}

/** Buffered CSV writer that respects back-pressure. */
export class CsvWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  constructor(file: string, header?: readonly string[]) {
    this.stream = createWriteStream(file, { encoding: 'utf8' });
    if (header) this.buffer = formatCsvRow(header) + '\n';
  }
  async write(values: readonly (string | number | boolean | null | undefined)[]): Promise<void> {
    this.buffer += formatCsvRow(values) + '\n';
    if (this.buffer.length > 1 << 16) await this.flush();
  }
  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
