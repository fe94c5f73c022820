// `c360 train`: multinomial gradient-boosted trees in TypeScript, exported to ONNX.
import type { Command } from 'commander';
import { intOption, numberOption } from '../options.js';

interface TrainOptions {
  data: string;
  out: string;
  metrics?: string;
  trees: number;
  depth: number;
  learningRate: number;
  testFraction: number;
  seed: number;
  minSamplesLeaf: number;
  minChildWeight: number;
  l2: number;
  rowSubsample: number;
  featureSubsample: number;
  earlyStopping: number;
  validationFraction: number;
  features?: string;
  label: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('train')
    .summary('train the gradient-boosted classifier in TypeScript and export it as ONNX')
    .description(
      'Train the Customer 360 classifier (multinomial gradient-boosted trees, histogram splits) on a ' +
        'labelled profile CSV and export it as ONNX (ai.onnx.ml TreeEnsembleClassifier, probabilities as ' +
        'a float tensor). Gender, Income and HeadofHousehold are encoded by the model itself; the feature ' +
        'order and encoders are stored in the model, so `c360 score` takes raw profile columns. ' +
        'Prints test accuracy and macro-F1 next to the majority-class baseline; --metrics writes the full ' +
        'evaluation (per-class precision/recall, confusion matrix, the original evaluate_model figures, ' +
        'gain-based feature importance) as JSON. Malformed rows are reported (file:line), counted and skipped.',
    )
    .requiredOption('--data <file.csv>', 'labelled profiles with a header row (e.g. customer_profile_label.csv)')
    .requiredOption('--out <model.onnx>', 'where to write the ONNX model')
    .option('--metrics <file.json>', 'write the evaluation as JSON')
    .option('--trees <n>', 'boosting rounds (one tree per class each)', intOption('--trees', 1, 100_000), 50)
    .option('--depth <n>', 'maximum tree depth', intOption('--depth', 1, 16), 5)
    .option('--learning-rate <x>', 'shrinkage per tree', numberOption('--learning-rate', 1e-6, 1), 0.1)
    .option('--test-fraction <x>', 'random share of rows held out for evaluation (0 = train on every row)', numberOption('--test-fraction', 0, 0.99), 0.1)
    .option('--seed <n>', 'seed of the split and subsampling; same seed, same model bytes', intOption('--seed', 0, 2 ** 32 - 1), 1)
    .option('--min-samples-leaf <n>', 'minimum training rows in a leaf', intOption('--min-samples-leaf', 1), 1)
    .option('--min-child-weight <x>', 'minimum hessian sum in a child (XGBoost min_child_weight)', numberOption('--min-child-weight', 0), 1)
    .option('--l2 <x>', 'L2 regularisation of leaf weights (XGBoost lambda)', numberOption('--l2', 0), 1)
    .option('--row-subsample <x>', 'share of rows drawn for each round', numberOption('--row-subsample', 0.01, 1), 1)
    .option('--feature-subsample <x>', 'share of features drawn for each tree', numberOption('--feature-subsample', 0.01, 1), 1)
    .option('--early-stopping <rounds>', 'stop when the validation loss has not improved for this many rounds (0 = off)', intOption('--early-stopping', 0), 0)
    .option('--validation-fraction <x>', 'share of the training rows used for early stopping', numberOption('--validation-fraction', 0.01, 0.5), 0.1)
    .option('--features <list>', 'comma-separated predictor columns (default: the original 23)')
    .option('--label <column>', 'target column (classes 0..3)', 'label')
    .option('--quiet', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  c360 train --data data/customer360-original/customer_profile_label.csv --out out/model.onnx --metrics out/metrics.json
  c360 train --data out/profiles.csv --out model.onnx --trees 200 --learning-rate 0.05 --early-stopping 20
  c360 train --data out/profiles.csv --out model.onnx --test-fraction 0 --seed 7`,
    )
    .action(async (opts: TrainOptions) => {
      const { runTrainJob } = await import('../../services/ml/train-job.js');
      const { ProgressBar } = await import('../progress.js');
      const bar = new ProgressBar('train', opts.trees, 'rounds', Boolean(opts.quiet));
      const report = await runTrainJob({
        data: opts.data,
        out: opts.out,
        metrics: opts.metrics,
        testFraction: opts.testFraction,
        validationFraction: opts.validationFraction,
        features: opts.features?.split(',').map((s) => s.trim()).filter(Boolean),
        labelColumn: opts.label,
        params: {
          trees: opts.trees,
          maxDepth: opts.depth,
          learningRate: opts.learningRate,
          seed: opts.seed,
          minSamplesLeaf: opts.minSamplesLeaf,
          minChildWeight: opts.minChildWeight,
          l2: opts.l2,
          rowSubsample: opts.rowSubsample,
          featureSubsample: opts.featureSubsample,
          earlyStoppingRounds: opts.earlyStopping,
        },
        onRound: (round) => bar.update(round),
      });
      bar.done();
      if (report.rows.skipped > 0) process.stderr.write(report.skippedExamples + '\n');
      const pct = (x: number) => (x * 100).toFixed(1) + '%';
      const lines = [
        `Trained ${report.rounds} rounds × 4 classes = ${report.trees} trees on ${report.rows.train.toLocaleString('en-US')} rows ` +
          `(${report.features.length} features${report.rows.validation ? `, ${report.rows.validation} validation rows` : ''}) in ${(report.trainMs / 1000).toFixed(2)} s`,
      ];
      if (report.test && report.majorityBaseline) {
        lines.push(
          `Test (${report.rows.test} rows): accuracy ${pct(report.test.accuracy)}, macro-F1 ${report.test.macroF1.toFixed(3)} ` +
            `(always predicting ${report.majorityBaseline.class}: accuracy ${pct(report.majorityBaseline.accuracy)}, macro-F1 ${report.majorityBaseline.macroF1.toFixed(3)})`,
          `  per class recall: ${report.test.perClass.map((c) => `T${c.class} ${pct(c.recall)}`).join(', ')}`,
        );
      } else {
        lines.push(`No test rows (--test-fraction 0); training accuracy ${pct(report.train.accuracy)}, macro-F1 ${report.train.macroF1.toFixed(3)}`);
      }
      lines.push(
        `Top features: ${report.importance.slice(0, 5).map((f) => `${f.feature} ${pct(f.share)}`).join(', ')}`,
        `Wrote ${opts.out} (${(report.modelBytes / 1024).toFixed(0)} KiB); onnxruntime matches the TypeScript model (max |Δp| ${report.onnxMaxAbsDiff.toExponential(1)})`,
      );
      if (opts.metrics) lines.push(`Wrote ${opts.metrics}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
