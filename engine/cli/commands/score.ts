// `c360 score`: batch-scores a profile CSV with an ONNX model through onnxruntime-node.
import type { Command } from 'commander';
import { intOption } from '../options.js';

export function register(program: Command): void {
  program
    .command('score')
    .summary('score profiles with an ONNX model through onnxruntime, in batches')
    .description(
      'Score profiles with an ONNX classifier (ours from `c360 train`, or one trained elsewhere whose ' +
        'input is a float tensor [N, features] and whose probabilities are a float tensor [N, 4], no ZipMap). ' +
        'Output = the input columns, the predicted `label` and prob_categoryT0..T3; an input `label` ' +
        'column is kept as `label_actual` and accuracy against it is printed. Malformed rows are ' +
        'reported (file:line), counted and skipped.',
    )
    .requiredOption('--model <model.onnx>', 'the ONNX model')
    .requiredOption('--data <file.csv>', 'profiles with a header row holding the model\'s feature columns')
    .requiredOption('--out <file.csv>', 'where to write the enriched profiles')
    .option('--batch <rows>', 'rows per onnxruntime call', intOption('--batch', 1, 10_000_000), 65_536)
    .option('--threads <n>', 'scoring threads, each with its own single-threaded onnxruntime session (default: one per available core; the output bytes are the same for any value)', intOption('--threads', 1, 256))
    .option('--quiet', 'no progress output')
    .addHelpText(
      'after',
      `
Examples:
  c360 score --model models/default.onnx --data data/customer360-original/customer_profile_label.csv --out out/enriched.csv
  c360 score --model my-xgboost.onnx --data out/profiles.csv --out out/scored.csv --batch 8192 --threads 2`,
    )
    .action(async (opts: { model: string; data: string; out: string; batch: number; threads?: number; quiet?: boolean }) => {
      const { runScoreJob } = await import('../../services/ml/score-job.js');
      const t0 = performance.now();
      const report = await runScoreJob({
        model: opts.model,
        data: opts.data,
        out: opts.out,
        batchRows: opts.batch,
        threads: opts.threads,
        onProgress: (rows) => {
          if (!opts.quiet) process.stderr.write(`score: ${rows.toLocaleString('en-US')} rows\n`);
        },
      });
      if (report.skipped.count > 0) process.stderr.write(report.skipped.summary() + '\n');
      const seconds = (performance.now() - t0) / 1000;
      const lines = [`Scored ${report.rows.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s → ${opts.out}`];
      if (report.evaluation) {
        const e = report.evaluation;
        lines.push(`Against label_actual: accuracy ${(e.accuracy * 100).toFixed(1)}%, macro-F1 ${e.macroF1.toFixed(3)}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
