// CSV per RFC 4180: fields separated by commas, optionally double-quoted, "" for a quote inside a
// quoted field. Line-oriented: a record never spans lines here (none of the project's files need it).

export class CsvSyntaxError extends Error {}

/** Splits one CSV line into fields. Throws CsvSyntaxError on an unterminated quote. */
export function parseCsvLine(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) throw new CsvSyntaxError('unterminated quoted field');
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      if (j < n && line.charCodeAt(j) !== 44) throw new CsvSyntaxError('text after a closing quote');
      fields.push(value);
      if (j >= n) return fields;
      i = j + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

export function formatCsvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsvRow(values: readonly (string | number | boolean | null | undefined)[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += formatCsvField(values[i]);
  }
  return out;
}
