// A labelled table in the layout training wants: one Float32Array, row-major (rows × features), and
// the labels. Float32 on purpose: onnxruntime compares float32 inputs with float32 thresholds, so
// training on the same precision keeps the exported model and the TypeScript model identical.
import { SkipLog, UserError } from '../../core/errors.js';
import { readCsv } from '../../io/csv-file.js';
import { EncodingError, LABEL_COLUMN, encodeValue, parseLabel, type FeatureSpec } from './features.js';

export interface Dataset {
  features: FeatureSpec[];
  rows: number;
  /** rows × features.length, row-major. */
  x: Float32Array;
  y: Int32Array;
}

export interface LoadOptions {
  labelColumn?: string;
  skips?: SkipLog;
}

/** Reads a profile CSV with a header. Rows with bad values are counted in `skips` (file:line) and left out. */
export async function loadLabelledCsv(file: string, features: FeatureSpec[], options: LoadOptions = {}): Promise<Dataset> {
  const labelColumn = options.labelColumn ?? LABEL_COLUMN;
  const skips = options.skips ?? new SkipLog();
  const width = features.length;
  let x = new Float32Array(width * 1024);
  let y = new Int32Array(1024);
  let rows = 0;
  const required = [...features.map((f) => f.name), labelColumn];
  for await (const record of readCsv(file, { required, skips })) {
    if (rows === y.length) {
      const bigger = new Float32Array(x.length * 2);
      bigger.set(x);
      x = bigger;
      const biggerY = new Int32Array(y.length * 2);
      biggerY.set(y);
      y = biggerY;
    }
    try {
      const base = rows * width;
      for (let f = 0; f < width; f++) x[base + f] = encodeValue(features[f], record.values[features[f].name]);
      y[rows] = parseLabel(record.values[labelColumn]);
      rows++;
    } catch (e) {
      if (!(e instanceof EncodingError)) throw e;
      skips.add({ file, line: record.line, reason: `${e.field}: ${e.message}` });
    }
  }
  if (rows === 0) throw new UserError('no usable rows to train on', { file });
  return { features, rows, x: x.slice(0, rows * width), y: y.slice(0, rows) };
}

/** The rows at `indices`, as a new dataset (used for train/test splits). */
export function subset(data: Dataset, indices: ArrayLike<number>): Dataset {
  const width = data.features.length;
  const x = new Float32Array(indices.length * width);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    x.set(data.x.subarray(r * width, (r + 1) * width), i * width);
    y[i] = data.y[r];
  }
  return { features: data.features, rows: indices.length, x, y };
}
