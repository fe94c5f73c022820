// The scorer of a run: an ONNX model from a path, or ("train") the GBM trained in TypeScript on the
// original solution's labelled profiles with the scenario's trees/depth/learning rate, exported to
// ONNX and scored by onnxruntime like any other model. A trained model is cached by a hash of its
// data and parameters (in the OS temp folder), so a sweep or a rerun trains once.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import { loadLabelledCsv } from '../../services/ml/dataset.js';
import { defaultFeatureSpecs, ORIGINAL_PREDICTORS } from '../../services/ml/features.js';
import { trainGbm } from '../../services/ml/gbm/train.js';
import { exportTreeEnsemble } from '../../services/ml/onnx/export.js';
import { OnnxScorer } from '../../services/ml/scorer.js';

export interface ModelChoice {
  /** "train", or a path to an ONNX model (already resolved). */
  model: string;
  trees: number;
  depth: number;
  learningRate: number;
  seed: number;
  /** Labelled profiles to train on (the original customer_profile_label.csv). */
  trainingData: string;
}

const loaded = new Map<string, Promise<OnnxScorer>>();

/** The model file a choice stands for (training it first if needed). */
export async function modelFile(choice: ModelChoice): Promise<string> {
  if (choice.model !== 'train') return choice.model;
  const data = await readFile(choice.trainingData).catch(() => {
    throw new UserError('training data not found', { file: choice.trainingData });
  });
  const key = createHash('sha256')
    .update(data)
    .update(JSON.stringify({ trees: choice.trees, depth: choice.depth, learningRate: choice.learningRate, seed: choice.seed, v: 1 }))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(os.tmpdir(), 'c360-twin-models');
  const file = path.join(dir, `gbm-${key}.onnx`);
  if (existsSync(file)) return file;
  const features = defaultFeatureSpecs(ORIGINAL_PREDICTORS);
  const dataset = await loadLabelledCsv(choice.trainingData, features);
  const { model } = trainGbm(dataset, { trees: choice.trees, maxDepth: choice.depth, learningRate: choice.learningRate, seed: choice.seed });
  const bytes = exportTreeEnsemble(model, {
    metadata: { 'c360.training': JSON.stringify({ data: path.basename(choice.trainingData), rows: dataset.rows, trees: choice.trees, depth: choice.depth, learningRate: choice.learningRate, seed: choice.seed }) },
  });
  await mkdir(dir, { recursive: true });
  // Write then rename: a concurrent run never reads half a model.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
  return file;
}

/** One onnxruntime session per model file per process (sessions are reusable across runs). */
export function loadScorer(choice: ModelChoice): Promise<OnnxScorer> {
  const id = JSON.stringify(choice);
  let scorer = loaded.get(id);
  if (!scorer) {
    // One scoring thread: a slice scores one row per customer (6,000 in seed-demo: ≈ 15 ms), far less
    // than starting a pool of onnxruntime workers costs (measured: +0.5 s CPU per seed-demo run).
    scorer = modelFile(choice).then((file) => OnnxScorer.load(file, { threads: 1 }));
    scorer.catch(() => loaded.delete(id));
    loaded.set(id, scorer);
  }
  return scorer;
}
