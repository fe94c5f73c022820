// `c360 score`: streams a profile CSV through an ONNX model in batches and writes the enriched rows —
// the input columns, the predicted `label` and `prob_categoryT0..T3`. An input `label` column is the
// truth, so it is kept as `label_actual` (and the run reports accuracy against it).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseCsvLine } from '../../core/csv.js';
import { SkipLog, UserError } from '../../core/errors.js';
import { CsvWriter, readCsv } from '../../io/csv-file.js';
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

/** Shortest text of a float32 probability that reads back to the same float32. */
function formatProbability(p: number): string {
  for (let digits = 6; digits < 9; digits++) {
    const text = p.toPrecision(digits);
    if (Math.fround(Number(text)) === p) return String(Number(text));
  }
  return String(Number(p.toPrecision(9)));
}

export async function runScoreJob(options: ScoreJobOptions): Promise<ScoreJobReport> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const model = await OnnxClassifier.load(options.model);
  try {
    const header = await readHeader(options.data);
    const missing = model.features.filter((f) => !header.includes(f.name)).map((f) => f.name);
    if (missing.length > 0)
      throw new UserError(`the model needs column(s) ${missing.join(', ')} (header has: ${header.join(', ')})`, { file: options.data, line: 1 });
    const hasLabel = header.includes(LABEL_COLUMN);
    // Columns the output writes itself are not passed through twice (e.g. when re-scoring enriched profiles).
    const produced = new Set<string>([LABEL_COLUMN, ...PROBABILITY_COLUMNS, ...(hasLabel ? [ACTUAL_LABEL_COLUMN] : [])]);
    const passIndex = header.map((name, i) => (produced.has(name) && name !== LABEL_COLUMN ? -1 : i)).filter((i) => i >= 0);
    const outHeader = [...passIndex.map((i) => (header[i] === LABEL_COLUMN ? ACTUAL_LABEL_COLUMN : header[i])), LABEL_COLUMN, ...PROBABILITY_COLUMNS];

    await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
    const writer = new CsvWriter(options.out, outHeader);
    const skipped = new SkipLog();
    const width = model.features.length;
    const x = new Float32Array(batchRows * width);
    const pending: string[][] = [];
    const actual: number[] = [];
    const predicted: number[] = [];
    let labelsUsable = hasLabel;
    let rows = 0;

    const flush = async () => {
      if (pending.length === 0) return;
      const probs = await model.predict(x.subarray(0, pending.length * width), pending.length, batchRows);
      const labels = argmaxRows(probs, CLASS_COUNT);
      for (let r = 0; r < pending.length; r++) {
        const fields = pending[r];
        const out: string[] = passIndex.map((i) => fields[i]);
        out.push(String(labels[r]));
        for (let c = 0; c < CLASS_COUNT; c++) out.push(formatProbability(probs[r * CLASS_COUNT + c]));
        await writer.write(out);
        if (labelsUsable) predicted.push(labels[r]);
      }
      rows += pending.length;
      pending.length = 0;
      options.onProgress?.(rows);
    };

    for await (const record of readCsv(options.data, { skips: skipped })) {
      const base = pending.length * width;
      try {
        for (let f = 0; f < width; f++) x[base + f] = encodeValue(model.features[f], record.values[model.features[f].name]);
      } catch (e) {
        if (!(e instanceof EncodingError)) throw e;
        skipped.add({ file: options.data, line: record.line, reason: `${e.field}: ${e.message}` });
        continue;
      }
      if (labelsUsable) {
        try {
          actual.push(parseLabel(record.values[LABEL_COLUMN]));
        } catch {
          labelsUsable = false; // not class labels (e.g. text): pass the column through, skip the evaluation
        }
      }
      pending.push(record.fields);
      if (pending.length === batchRows) await flush();
    }
    await flush();
    await writer.close();
    const evaluation = labelsUsable && rows > 0 ? evaluate(actual, predicted, CLASS_COUNT) : null;
    return { rows, skipped, evaluation };
  } finally {
    await model.close();
  }
}
