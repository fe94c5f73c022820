// Errors a user can act on. A UserError is printed as one clear line (no stack trace) by the CLI;
// it says where the problem is: a file, and when known a line, column or field.

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

export function formatLocation(loc: ErrorLocation): string {
  let text = loc.file ?? '';
  if (loc.line !== undefined) text += `${text ? ':' : 'line '}${loc.line}`;
  if (loc.column !== undefined) text += `:${loc.column}`;
  if (loc.field !== undefined) text += `${text ? ' ' : ''}(${loc.field})`;
  return text;
}

export class UserError extends Error {
  readonly location: ErrorLocation;
  constructor(message: string, location: ErrorLocation = {}) {
    const where = formatLocation(location);
    super(where ? `${where}: ${message}` : message);
    this.name = 'UserError';
    this.location = location;
  }
}

/** Something the user asked for that is outside what the twin supports — refused, never run wrongly. */
export class NotSupportedError extends UserError {
  constructor(feature: string, location: ErrorLocation = {}) {
    super(`not supported: ${feature}`, location);
    this.name = 'NotSupportedError';
  }
}

/** A record of input that was skipped, kept so summaries can say how many and where. */
export interface SkippedRecord {
  file: string;
  line: number;
  reason: string;
}

/** Counts skipped input and keeps the first few examples for the summary. */
export class SkipLog {
  readonly examples: SkippedRecord[] = [];
  count = 0;
  constructor(private readonly keep = 20) {}
  add(record: SkippedRecord): void {
    this.count++;
    if (this.examples.length < this.keep) this.examples.push(record);
  }
  summary(): string {
    if (this.count === 0) return 'no malformed rows';
    const shown = this.examples.map((r) => `  ${r.file}:${r.line}: ${r.reason}`).join('\n');
    const more = this.count > this.examples.length ? `\n  … and ${this.count - this.examples.length} more` : '';
    return `${this.count} malformed row(s) skipped:\n${shown}${more}`;
  }
}
