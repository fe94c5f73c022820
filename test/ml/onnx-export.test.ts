// The exported model: valid per the official ONNX checker, shaped as the contract says, and scored by
// onnxruntime exactly like the TypeScript model (max |Δp| ≤ 1e-5), including missing values and
// features with more distinct values than bins.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../engine/core/random.js';
import { loadLabelledCsv, type Dataset } from '../../engine/services/ml/dataset.js';
import { defaultFeatureSpecs, type FeatureSpec } from '../../engine/services/ml/features.js';
import { predictProbabilities } from '../../engine/services/ml/gbm/model.js';
import { trainGbm } from '../../engine/services/ml/gbm/train.js';
import { OnnxClassifier } from '../../engine/services/ml/onnx-model.js';
import { exportTreeEnsemble, META_FEATURES } from '../../engine/services/ml/onnx/export.js';
import { readModelMetadata } from '../../engine/services/ml/onnx/onnx-proto.js';
import { ORIGINAL_PROFILES, runPython } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'c360-ml-onnx-'));
const opened: OnnxClassifier[] = [];
afterAll(async () => {
  for (const m of opened) await m.close();
});

async function maxDifference(data: Dataset, params: Parameters<typeof trainGbm>[1], name: string): Promise<number> {
  const { model } = trainGbm(data, params);
  const file = path.join(dir, name);
  writeFileSync(file, exportTreeEnsemble(model));
  const onnx = await OnnxClassifier.load(file);
  opened.push(onnx);
  const got = await onnx.predict(data.x, data.rows, 1000); // several batches
  const want = predictProbabilities(model, data.x, data.rows);
  let max = 0;
  for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(got[i] - want[i]));
  return max;
}

/** Random data: continuous features with thousands of distinct values (quantile bins), negatives, and ~5% missing. */
function syntheticData(rows: number, seed: number): Dataset {
  const random = new Random(seed);
  const features: FeatureSpec[] = Array.from({ length: 8 }, (_, i) => ({ name: `f${i}`, kind: 'numeric' }));
  const x = new Float32Array(rows * 8);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < 8; f++) x[r * 8 + f] = random.next() < 0.05 ? NaN : random.normal(f - 4, 1 + f);
    const s = x[r * 8] + 0.5 * (x[r * 8 + 3] || 0) + random.normal(0, 1);
    y[r] = s < -5 ? 1 : s < -3 ? 0 : s < 0 ? 2 : 3;
  }
  return { features, rows, x, y };
}

describe('ONNX export', () => {
  it('passes the official ONNX checker and has the contract shape (no ZipMap, metadata with features)', async () => {
    const data = await loadLabelledCsv(ORIGINAL_PROFILES, defaultFeatureSpecs());
    const { model } = trainGbm(data, { trees: 10 });
    const file = path.join(dir, 'checked.onnx');
    writeFileSync(file, exportTreeEnsemble(model, { metadata: { note: 'hello' } }));
    const info = JSON.parse(runPython('check_model.py', [file]));
    expect(info.ops).toEqual([['ai.onnx.ml', 'TreeEnsembleClassifier']]);
    expect(info.opsets['ai.onnx.ml']).toBe(3);
    expect(info.inputs).toEqual([['input', 1, ['N', 23]]]);
    expect(info.outputs).toEqual([
      ['label', 7, ['N']],
      ['probabilities', 1, ['N', 4]],
    ]);
    expect(info.attributes).toContain('post_transform');
    expect(info.metadata.note).toBe('hello');
    const features = JSON.parse(info.metadata[META_FEATURES]);
    expect(features.map((f: FeatureSpec) => f.name)).toEqual(defaultFeatureSpecs().map((f) => f.name));
    expect(features[2]).toEqual({ name: 'Income', kind: 'categorical', categories: { Less_than_10K: 0, '10K_50K': 1, '50K_100K': 2, Greater_than_100K: 3 } });
    // Our own reader sees the same metadata.
    expect(readModelMetadata(new Uint8Array(readFileSync(file)))).toEqual(info.metadata);
  });

  it('onnxruntime and the TypeScript model agree within 1e-5 on the original table', async () => {
    const data = await loadLabelledCsv(ORIGINAL_PROFILES, defaultFeatureSpecs());
    expect(await maxDifference(data, { trees: 50, maxDepth: 5, learningRate: 0.1 }, 'original.onnx')).toBeLessThanOrEqual(1e-5);
  });

  it('agree with missing values, quantile bins, deep trees and subsampling', async () => {
    for (const seed of [1, 2]) {
      const data = syntheticData(4000, seed);
      const diff = await maxDifference(
        data,
        { trees: 30, maxDepth: 8, learningRate: 0.3, rowSubsample: 0.7, featureSubsample: 0.6, seed, minSamplesLeaf: 3 },
        `synthetic-${seed}.onnx`,
      );
      expect(diff).toBeLessThanOrEqual(1e-5);
    }
  });

  it('is deterministic: the same seed gives the same bytes, another seed with subsampling differs', async () => {
    const data = syntheticData(1500, 9);
    const params = { trees: 10, rowSubsample: 0.8, featureSubsample: 0.5 };
    const a = exportTreeEnsemble(trainGbm(data, { ...params, seed: 4 }).model);
    const b = exportTreeEnsemble(trainGbm(data, { ...params, seed: 4 }).model);
    const c = exportTreeEnsemble(trainGbm(data, { ...params, seed: 5 }).model);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });
});
