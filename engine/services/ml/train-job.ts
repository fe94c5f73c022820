// `c360 train` end to end: read the labelled profiles, split, train, evaluate, export ONNX, and check
// that onnxruntime scores the exported file exactly like the TypeScript model before calling it done.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SkipLog, UserError } from '../../core/errors.js';
import { loadLabelledCsv, subset, type Dataset } from './dataset.js';
import { CLASS_COUNT, defaultFeatureSpecs, ORIGINAL_PREDICTORS } from './features.js';
import { argmaxRows, predictProbabilities, type GbmModel } from './gbm/model.js';
import { trainGbm, validateParams, DEFAULT_TRAIN_PARAMS, type TrainParams } from './gbm/train.js';
import { evaluate, featureImportance, type Evaluation } from './metrics.js';
import { OnnxClassifier } from './onnx-model.js';
import { exportTreeEnsemble } from './onnx/export.js';
import { trainTestSplit } from './split.js';

export interface TrainJobOptions {
  data: string;
  out: string;
  metrics?: string;
  params?: Partial<TrainParams>;
  /** Held-out share for evaluation; 0 trains on every row. */
  testFraction?: number;
  /** Share of the training rows held back for early stopping (used only when early stopping is on). */
  validationFraction?: number;
  features?: readonly string[];
  labelColumn?: string;
  onRound?: (round: number, total: number) => void;
}

export interface TrainJobReport {
  data: string;
  model: string;
  rows: { used: number; skipped: number; train: number; validation: number; test: number };
  features: string[];
  params: TrainParams;
  rounds: number;
  trees: number;
  classCounts: number[];
  test: Evaluation | null;
  train: Pick<Evaluation, 'accuracy' | 'macroF1'>;
  /** Always predicting the most frequent training class, on the same test rows. */
  majorityBaseline: { class: number; accuracy: number; macroF1: number } | null;
  importance: { feature: string; gain: number; share: number }[];
  validationLoss: number[];
  /** Largest |p_onnxruntime − p_typescript| over the evaluated rows. */
  onnxMaxAbsDiff: number;
  modelBytes: number;
  skippedExamples: string;
}

export async function runTrainJob(options: TrainJobOptions): Promise<TrainJobReport & { trainMs: number }> {
  const params: TrainParams = { ...DEFAULT_TRAIN_PARAMS, ...options.params };
  try {
    validateParams(params);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  const testFraction = options.testFraction ?? 0.1;
  const validationFraction = options.validationFraction ?? 0.1;
  if (!(testFraction >= 0 && testFraction < 1)) throw new UserError(`--test-fraction must be in [0, 1) (got ${testFraction})`);
  const skips = new SkipLog();
  const features = defaultFeatureSpecs(options.features ?? ORIGINAL_PREDICTORS);
  const data = await loadLabelledCsv(options.data, features, { labelColumn: options.labelColumn, skips });

  const split = trainTestSplit(data.rows, testFraction, params.seed);
  if (split.train.length === 0) throw new UserError('the test fraction leaves no rows to train on', { file: options.data });
  let train = subset(data, split.train);
  const test = split.test.length > 0 ? subset(data, split.test) : null;
  let validation: Dataset | undefined;
  if (params.earlyStoppingRounds > 0) {
    const inner = trainTestSplit(train.rows, validationFraction, params.seed + 1);
    if (inner.test.length === 0 || inner.train.length === 0)
      throw new UserError('early stopping needs a validation split with rows on both sides (check --validation-fraction)');
    validation = subset(train, inner.test);
    train = subset(train, inner.train);
  }

  const t0 = performance.now();
  const result = trainGbm(train, params, validation, (round) => options.onRound?.(round, params.trees));
  const trainMs = performance.now() - t0;
  const model = result.model;

  const classCounts = new Array<number>(CLASS_COUNT).fill(0);
  for (const label of train.y) classCounts[label]++;
  const trainPred = argmaxRows(predictProbabilities(model, train.x, train.rows), CLASS_COUNT);
  const trainEval = evaluate(train.y, trainPred, CLASS_COUNT);
  const evalSet = test ?? train;
  const tsProbabilities = predictProbabilities(model, evalSet.x, evalSet.rows);
  const testEval = test ? evaluate(test.y, argmaxRows(tsProbabilities, CLASS_COUNT), CLASS_COUNT) : null;
  const majority = classCounts.indexOf(Math.max(...classCounts));
  const majorityEval = test ? evaluate(test.y, new Int32Array(test.rows).fill(majority), CLASS_COUNT) : null;

  const bytes = exportTreeEnsemble(model, {
    metadata: {
      'c360.training': JSON.stringify({
        data: path.basename(options.data),
        rows: train.rows,
        rounds: result.rounds,
        ...params,
      }),
      ...(testEval ? { 'c360.test_metrics': JSON.stringify({ rows: testEval.rows, accuracy: testEval.accuracy, macroF1: testEval.macroF1 }) } : {}),
    },
  });
  await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
  await writeFile(options.out, bytes);
  const onnxMaxAbsDiff = await checkAgainstOnnxRuntime(options.out, model, evalSet, tsProbabilities);

  const report: TrainJobReport = {
    data: path.basename(options.data),
    model: path.basename(options.out),
    rows: { used: data.rows, skipped: skips.count, train: train.rows, validation: validation?.rows ?? 0, test: test?.rows ?? 0 },
    features: features.map((f) => f.name),
    params,
    rounds: result.rounds,
    trees: model.trees.length,
    classCounts,
    test: testEval,
    train: { accuracy: trainEval.accuracy, macroF1: trainEval.macroF1 },
    majorityBaseline: majorityEval ? { class: majority, accuracy: majorityEval.accuracy, macroF1: majorityEval.macroF1 } : null,
    importance: featureImportance(features.map((f) => f.name), result.featureGain),
    validationLoss: result.validationLoss,
    onnxMaxAbsDiff,
    modelBytes: bytes.length,
    skippedExamples: skips.summary(),
  };
  if (options.metrics) {
    await mkdir(path.dirname(path.resolve(options.metrics)), { recursive: true });
    await writeFile(options.metrics, JSON.stringify(report, null, 2) + '\n');
  }
  return { ...report, trainMs };
}

/** Scores the rows with onnxruntime and returns the largest probability difference to the TypeScript model. */
async function checkAgainstOnnxRuntime(file: string, model: GbmModel, rows: Dataset, expected: Float64Array): Promise<number> {
  const onnx = await OnnxClassifier.load(file);
  try {
    const got = await onnx.predict(rows.x, rows.rows);
    let max = 0;
    for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - expected[i]));
    if (!(max <= 1e-5))
      throw new Error(`internal error: onnxruntime and the TypeScript model disagree by ${max} on ${model.trees.length} trees`);
    return max;
  } finally {
    await onnx.close();
  }
}
