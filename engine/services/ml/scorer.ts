// The pipeline's Scorer port, backed by an ONNX model in onnxruntime-node. Rows arrive as raw profile
// columns; the model's recorded feature order and encoders turn them into its input matrix.
import { UserError } from '../../core/errors.js';
import type { ScoreResult, Scorer } from '../../ports/jobs.js';
import { EncodingError, encodeValue, type FeatureSpec } from './features.js';
import { argmaxRows } from './gbm/model.js';
import { OnnxClassifier, type LoadOptions } from './onnx-model.js';

/** Raw rows → row-major float32 matrix in the model's feature order. A bad value is a UserError naming row and column. */
export function encodeRows(features: readonly FeatureSpec[], rows: readonly Record<string, number | string>[], source = 'scored rows'): Float32Array {
  const width = features.length;
  const x = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let f = 0; f < width; f++) {
      const spec = features[f];
      const raw = row[spec.name];
      if (raw === undefined) throw new UserError(`row ${r + 1} has no column "${spec.name}"`, { file: source, field: spec.name });
      try {
        x[r * width + f] = encodeValue(spec, raw);
      } catch (e) {
        if (e instanceof EncodingError) throw new UserError(`row ${r + 1}: ${e.message}`, { file: source, field: spec.name });
        throw e;
      }
    }
  }
  return x;
}

export class OnnxScorer implements Scorer {
  constructor(readonly model: OnnxClassifier) {}

  /**
   * `threads`: scoring threads (default one per available core). A call with at least `poolMinRows` rows
   * is spread over a pool of worker threads; smaller calls — most pipeline slices — stay on this thread.
   * The probabilities are the same bytes for any setting.
   */
  static async load(file: string, options: LoadOptions = {}): Promise<OnnxScorer> {
    return new OnnxScorer(await OnnxClassifier.load(file, options));
  }

  async score(rows: readonly Record<string, number | string>[]): Promise<ScoreResult> {
    const x = encodeRows(this.model.features, rows);
    const probabilities = await this.model.predict(x, rows.length);
    return { labels: argmaxRows(probabilities, this.model.classes), probabilities };
  }

  close(): Promise<void> {
    return this.model.close();
  }
}
