// Reads `c360 asa run` input files: one envelope per line,
// {"enqueuedTime": ISO-8601, "partitionId": "0", "body": <object or raw string>} (DESIGN §3).
// Broken envelopes are counted and skipped with their line; broken bodies are the job's business
// (they count as InputDeserializationErrors, as in Azure).
import { SkipLog, UserError } from '../../../core/errors.js';
import { parseCsvLine } from '../../../core/csv.js';
import { readLines } from '../../../io/lines.js';
import type { InputEvent } from '../runtime/job.js';

export interface EnvelopeEvent extends InputEvent {
  input: string;
  seq: number;
}

export async function readEnvelopeFile(input: string, file: string, skips: SkipLog, seqStart = 0): Promise<EnvelopeEvent[]> {
  const events: EnvelopeEvent[] = [];
  let seq = seqStart;
  for await (const { text, line } of readLines(file)) {
    if (text.trim() === '') continue;
    let env: Record<string, unknown>;
    try {
      env = JSON.parse(text);
    } catch {
      skips.add({ file, line, reason: 'not a JSON envelope' });
      continue;
    }
    if (env === null || typeof env !== 'object' || Array.isArray(env)) {
      skips.add({ file, line, reason: 'an envelope must be a JSON object' });
      continue;
    }
    const enq = env.enqueuedTime;
    const t = typeof enq === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(enq) ? Date.parse(enq) : NaN;
    if (Number.isNaN(t)) {
      skips.add({ file, line, reason: `field enqueuedTime must be an ISO-8601 time (got ${JSON.stringify(enq)})` });
      continue;
    }
    const pidRaw = env.partitionId ?? '0';
    const pid = Number(pidRaw);
    if (!Number.isInteger(pid) || pid < 0) {
      skips.add({ file, line, reason: `field partitionId must be a non-negative integer (got ${JSON.stringify(pidRaw)})` });
      continue;
    }
    if (!('body' in env)) {
      skips.add({ file, line, reason: 'field body is missing' });
      continue;
    }
    const body = env.body;
    events.push({
      input,
      seq: seq++,
      partitionId: pid,
      enqueuedTime: t,
      body: typeof body === 'string' ? body : (body as Record<string, unknown>),
      properties: env.properties as Record<string, unknown> | undefined,
      origin: `${file}:${line}`,
    });
  }
  return events;
}

/** Reference data: JSON lines, a JSON array, or CSV with a header row (values stay strings, as in ASA). */
export async function readReferenceFile(file: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  if (/\.csv$/i.test(file)) {
    let header: string[] | undefined;
    for await (const { text, line } of readLines(file)) {
      if (text.trim() === '') continue;
      let fields: string[];
      try {
        fields = parseCsvLine(text);
      } catch (e) {
        throw new UserError(`bad CSV: ${(e as Error).message}`, { file, line });
      }
      if (!header) {
        header = fields;
        continue;
      }
      if (fields.length !== header.length) throw new UserError(`expected ${header.length} fields, got ${fields.length}`, { file, line });
      const rec: Record<string, unknown> = {};
      header.forEach((h, i) => (rec[h] = fields[i]));
      rows.push(rec);
    }
    return rows;
  }
  let first = true;
  for await (const { text, line } of readLines(file)) {
    if (text.trim() === '') continue;
    if (first && text.trim().startsWith('[')) {
      const { readFile } = await import('node:fs/promises');
      try {
        return JSON.parse(await readFile(file, 'utf8'));
      } catch (e) {
        throw new UserError(`not valid JSON: ${(e as Error).message}`, { file });
      }
    }
    first = false;
    try {
      rows.push(JSON.parse(text));
    } catch {
      throw new UserError('not a JSON object', { file, line });
    }
  }
  return rows;
}
