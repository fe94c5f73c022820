// `c360 score`: streams a profile CSV through an ONNX model in batches and writes the enriched rows —
// the input columns, the predicted `label` and `prob_categoryT0..T3`. An input `label` column is the
// truth, so it is kept as `label_actual` (and the run reports accuracy against it).
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CsvSyntaxError, formatCsvRow, parseCsvLine } from '../../core/csv.js';
import { SkipLog, UserError } from '../../core/errors.js';
import { readLines } from '../../io/lines.js';
import { CLASS_COUNT, EncodingError, LABEL_COLUMN, PROBABILITY_COLUMNS, encodeValue, parseLabel } from './features.js';
import { argmaxRows } from './gbm/model.js';
import { evaluate, type Evaluation } from './metrics.js';
import { DEFAULT_BATCH_ROWS, OnnxClassifier } from './onnx-model.js';

export const ACTUAL_LABEL_COLUMN = 'label_actual';

export interface ScoreJobOptions {
  model: string;
  data: string;
  out: string;
  batchRows?: number;
  /** Scoring threads (default: one per available core; the output bytes are the same for any value). */
  threads?: number;
  onProgress?: (rows: number) => void;
}

export interface ScoreJobReport {
  rows: number;
  skipped: SkipLog;
  /** Against the input's labels, when it had a valid `label` column. */
  evaluation: Evaluation | null;
}

async function readHeader(file: string): Promise<string[]> {
  for await (const { text } of readLines(file)) return parseCsvLine(text).map((c) => c.trim().replace(/^\uFEFF/, ''));
  throw new UserError('file is empty (no header row)', { file });
}

/**
 * A float32 probability as text that reads back to the same float32: 7 significant digits when they
 * suffice (most values), else 9 (always enough for float32). Trailing zeros are dropped.
 */
function formatProbability(p: number): string {
  const short = Number(p.toPrecision(7));
  return String(Math.fround(short) === p ? short : Number(p.toPrecision(9)));
}

export async function runScoreJob(options: ScoreJobOptions): Promise<ScoreJobReport> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const file = options.data;
  const model = await OnnxClassifier.load(options.model, { threads: options.threads });
  let out: WriteStream | null = null;
  try {
    const header = await readHeader(file);
    const missing = model.features.filter((f) => !header.includes(f.name)).map((f) => f.name);
    if (missing.length > 0)
      throw new UserError(`the model needs column(s) ${missing.join(', ')} (header has: ${header.join(', ')})`, { file, line: 1 });
    const featureIndex = model.features.map((f) => header.indexOf(f.name));
    const labelIndex = header.indexOf(LABEL_COLUMN);
    // Columns the output writes itself are not passed through twice (e.g. when re-scoring enriched profiles).
    const produced = new Set<string>([...PROBABILITY_COLUMNS, ...(labelIndex >= 0 ? [ACTUAL_LABEL_COLUMN] : [])]);
    const passIndex = header.map((_, i) => i).filter((i) => !produced.has(header[i]));
    // When every input column passes through, a row's own text is copied instead of being re-formatted.
    const passWholeLine = passIndex.length === header.length;
    const outHeader = [...passIndex.map((i) => (i === labelIndex ? ACTUAL_LABEL_COLUMN : header[i])), LABEL_COLUMN, ...PROBABILITY_COLUMNS];

    await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
    out = createWriteStream(options.out, { encoding: 'utf8' });
    const stream = out;
    const write = async (text: string) => {
      if (!stream.write(text)) await once(stream, 'drain');
    };
    await write(formatCsvRow(outHeader) + '\n');

    const skipped = new SkipLog();
    const width = model.features.length;
    const actual: number[] = [];
    const predicted: number[] = [];
    let labelsUsable = labelIndex >= 0;
    let rows = 0;
    // Batches being scored, oldest first. With scoring threads, this thread parses and encodes the next
    // batch while the workers score the previous ones; results are written in input order.
    const maxInFlight = model.threads + 1;
    const inFlight: { probabilities: Promise<Float32Array>; passThrough: string[] }[] = [];
    // The batch being filled: its matrix (handed over whole to the scorer, so a fresh one per batch) and
    // each row's pass-through columns as CSV text.
    let x = new Float32Array(batchRows * width);
    let passThrough: string[] = [];

    const submit = () => {
      const count = passThrough.length;
      if (count === 0) return;
      const probabilities = model.predictOwned(count === batchRows ? x : x.slice(0, count * width), count);
      probabilities.catch(() => undefined); // awaited in order below; until then a failure must not count as unhandled
      inFlight.push({ probabilities, passThrough });
      x = new Float32Array(batchRows * width);
      passThrough = [];
    };

    const writeOldest = async () => {
      const batch = inFlight.shift();
      if (!batch) return;
      const probs = await batch.probabilities;
      const count = batch.passThrough.length;
      const labels = argmaxRows(probs, CLASS_COUNT);
      let chunk = '';
      for (let r = 0; r < count; r++) {
        chunk += batch.passThrough[r] + ',' + labels[r];
        for (let c = 0; c < CLASS_COUNT; c++) chunk += ',' + formatProbability(probs[r * CLASS_COUNT + c]);
        chunk += '\n';
        if (labelsUsable) predicted.push(labels[r]);
      }
      await write(chunk);
      rows += count;
      options.onProgress?.(rows);
    };

    let first = true;
    for await (const { text, line } of readLines(file)) {
      if (first) {
        first = false; // the header
        continue;
      }
      if (text.length === 0) continue;
      let fields: string[];
      try {
        fields = parseCsvLine(text);
      } catch (e) {
        if (!(e instanceof CsvSyntaxError)) throw e;
        skipped.add({ file, line, reason: e.message });
        continue;
      }
      if (fields.length !== header.length) {
        skipped.add({ file, line, reason: `expected ${header.length} fields, found ${fields.length}` });
        continue;
      }
      const base = passThrough.length * width;
      try {
        for (let f = 0; f < width; f++) x[base + f] = encodeValue(model.features[f], fields[featureIndex[f]]);
      } catch (e) {
        if (!(e instanceof EncodingError)) throw e;
        skipped.add({ file, line, reason: `${e.field}: ${e.message}` });
        continue;
      }
      if (labelsUsable) {
        try {
          actual.push(parseLabel(fields[labelIndex]));
        } catch {
          labelsUsable = false; // not class labels (e.g. text): pass the column through, skip the evaluation
        }
      }
      passThrough.push(passWholeLine ? text : formatCsvRow(passIndex.map((i) => fields[i])));
      // This batch will go to the worker pool: start the workers now, while the rest of it is parsed.
      if (passThrough.length === model.poolMinRows && batchRows >= model.poolMinRows && model.threads > 1) model.startPool().catch(() => undefined);
      if (passThrough.length === batchRows) {
        submit();
        if (inFlight.length >= maxInFlight) await writeOldest();
      }
    }
    submit();
    while (inFlight.length > 0) await writeOldest();
    stream.end();
    await once(stream, 'finish');
    out = null;
    const evaluation = labelsUsable && rows > 0 ? evaluate(actual, predicted, CLASS_COUNT) : null;
    return { rows, skipped, evaluation };
  } finally {
    out?.destroy();
    await model.close();
  }
}
