// ML benchmark: training time of the TypeScript gradient-boosted trees against XGBoost (Debian
// python3-xgboost, tree_method=hist, nthread=1) on the original table, and batch scoring throughput
// of the onnxruntime-node worker pool against one single-threaded session — all measured in this one run.
//
// Training: the same 5 random 90/10 splits for both; each fit is timed from a ready float32 matrix
// (TypeScript: binning included; XGBoost: xgb.train on a built DMatrix, which includes its own
// quantile sketch). The first fit in each process is reported apart (JIT / library warm-up); the rest
// alternate between the two trainers. Wall and process CPU time are both reported: on a shared
// machine wall time swings with other load, CPU time much less.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineSummary } from './machine.js';
import { loadLabelledCsv, subset, type Dataset } from '../engine/services/ml/dataset.js';
import { defaultFeatureSpecs } from '../engine/services/ml/features.js';
import { argmaxRows, predictProbabilities, type GbmModel } from '../engine/services/ml/gbm/model.js';
import { trainGbm } from '../engine/services/ml/gbm/train.js';
import { evaluate } from '../engine/services/ml/metrics.js';
import { OnnxClassifier, defaultScoringThreads } from '../engine/services/ml/onnx-model.js';
import { exportTreeEnsemble } from '../engine/services/ml/onnx/export.js';
import { runScoreJob } from '../engine/services/ml/score-job.js';
import { trainTestSplit } from '../engine/services/ml/split.js';

const DATA = 'data/customer360-original/customer_profile_label.csv';
const PARAMS = { trees: 50, maxDepth: 5, learningRate: 0.1 };
const SPLITS = 5;
/** Passes over the splits; every pass fits each split once with each trainer, interleaved. */
const PASSES = 3;
const SCORE_ROWS = 1_200_000;
/** Alternating single-session / pool runs over the SCORE_ROWS rows. */
const SCORE_PAIRS = 5;
/** The pool's default size: one worker per core this process may use. */
const POOL_THREADS = defaultScoringThreads();
const ORT_VERSION = (JSON.parse(readFileSync('node_modules/onnxruntime-node/package.json', 'utf8')) as { version: string }).version;

// XGBoost as a long-lived child process taking one command per line, so its fits can be interleaved
// with ours: each pair then runs under the same machine load.
const PYTHON_XGBOOST = String.raw`
import csv, json, sys, time
import numpy as np, xgboost as xgb
from sklearn.metrics import f1_score
FEATURES = json.loads(sys.argv[2]); CODES = {"Gender": {"F": 0, "M": 1}, "HeadofHousehold": {"F": 0, "T": 1},
  "Income": {"Less_than_10K": 0, "10K_50K": 1, "50K_100K": 2, "Greater_than_100K": 3}}
rows = list(csv.DictReader(open(sys.argv[1])))
X = np.array([[CODES[c][r[c]] if c in CODES else float(r[c]) for c in FEATURES] for r in rows], dtype=np.float32)
y = np.array([int(r["label"]) for r in rows])
splits = json.load(open(sys.argv[3]))
params = {"objective": "multi:softprob", "num_class": 4, "max_depth": 5, "eta": 0.1, "tree_method": "hist", "nthread": 1, "max_bin": 256}
booster = None
print(json.dumps({"version": xgb.__version__}), flush=True)
for line in sys.stdin:
    cmd, arg = line.split()
    if cmd == "fit":
        s = splits[int(arg)]
        train, test = np.array(s["train"]), np.array(s["test"])
        d = xgb.DMatrix(X[train], label=y[train], nthread=1)
        t0 = time.perf_counter(); c0 = time.process_time(); booster = xgb.train(params, d, 50)
        wall, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        f1 = f1_score(y[test], booster.predict(xgb.DMatrix(X[test])).argmax(1), average="macro")
        print(json.dumps({"wall_ms": wall, "cpu_ms": cpu, "f1": f1}), flush=True)
    elif cmd == "predict":
        big = np.tile(X, (int(arg) // len(X) + 1, 1))[: int(arg)]
        booster.set_param({"nthread": 1})
        booster.inplace_predict(big[:10000])
        t0 = time.perf_counter(); c0 = time.process_time(); booster.inplace_predict(big)
        print(json.dumps({"rows_per_s": len(big) / (time.perf_counter() - t0), "rows_per_cpu_s": len(big) / (time.process_time() - c0)}), flush=True)
`;

class PythonXgboost {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private stderr = '';

  constructor(args: string[]) {
    this.child = spawn('/usr/bin/python3', ['-c', PYTHON_XGBOOST, ...args]);
    let buffer = '';
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          w(line);
        } else this.lines.push(line);
      }
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.child.on('exit', (code) => {
      if (code !== 0 && this.waiting) throw new Error(`XGBoost baseline failed: ${this.stderr}`);
    });
  }

  next<T>(): Promise<T> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(JSON.parse(line) as T);
    return new Promise((resolve) => (this.waiting = (l) => resolve(JSON.parse(l) as T)));
  }

  ask<T>(command: string): Promise<T> {
    this.child.stdin.write(command + '\n');
    return this.next<T>();
  }

  close(): void {
    this.child.stdin.end();
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Timing {
  wallMs: number;
  /** Process CPU time (all threads): robust when other work shares the machine. */
  cpuMs: number;
}

async function timed(fn: () => unknown): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

/**
 * How many cores this process can get right now: the same busy loop in 1 and in `threads` worker
 * threads at once; threads × (time for one / time for all) ≈ cores available. On a shared machine the
 * pool's speed-up can be no larger than this, whatever the scorer does.
 */
async function coresAvailable(threads: number): Promise<number> {
  const spin = 'let x = 0; for (let i = 0; i < 1.5e8; i++) x = (x + i * 7) % 1000003; require("node:worker_threads").parentPort.postMessage(x);';
  const run = async (n: number) => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => new Worker(spin, { eval: true }).once('message', resolve).once('error', reject))));
    return performance.now() - t0;
  };
  const one = await run(1);
  const all = await run(threads);
  return (threads * one) / all;
}

function tile(data: Dataset, rows: number): Float32Array {
  const width = data.features.length;
  const x = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) x.set(data.x.subarray((r % data.rows) * width, ((r % data.rows) + 1) * width), r * width);
  return x;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'c360-bench-ml-'));
  const loadBefore = os.loadavg()[0];
  try {
    const data = await loadLabelledCsv(DATA, defaultFeatureSpecs());
    const splits = Array.from({ length: SPLITS }, (_, i) => trainTestSplit(data.rows, 0.1, 1000 + i));

    // --- training: TypeScript and XGBoost, interleaved fit by fit on the same splits ---
    const splitFile = path.join(work, 'splits.json');
    writeFileSync(splitFile, JSON.stringify(splits.map((s) => ({ train: Array.from(s.train), test: Array.from(s.test) }))));
    const python = new PythonXgboost([DATA, JSON.stringify(data.features.map((f) => f.name)), splitFile]);
    const { version: xgbVersion } = await python.next<{ version: string }>();
    type XgbFit = { wall_ms: number; cpu_ms: number; f1: number };
    const trainSets = splits.map((s) => subset(data, s.train));
    const tsFit: Timing[] = [];
    const xgFit: XgbFit[] = [];
    const wallRatios: number[] = [];
    const cpuRatios: number[] = [];
    const tsF1: number[] = [];
    // The first fit of each in a fresh process: JIT warm-up for Node, library warm-up for XGBoost.
    const cold = await timed(() => trainGbm(trainSets[0], { ...PARAMS, seed: 1 }));
    const xgCold = await python.ask<XgbFit>('fit 0');
    for (let pass = 0; pass < PASSES; pass++) {
      for (let i = 0; i < SPLITS; i++) {
        let model: GbmModel | null = null;
        const t = await timed(() => (model = trainGbm(trainSets[i], { ...PARAMS, seed: i + 1 }).model));
        const x = await python.ask<XgbFit>(`fit ${i}`);
        tsFit.push(t);
        xgFit.push(x);
        wallRatios.push(t.wallMs / x.wall_ms);
        cpuRatios.push(t.cpuMs / x.cpu_ms);
        if (pass === 0) {
          const test = subset(data, splits[i].test);
          tsF1.push(evaluate(test.y, argmaxRows(predictProbabilities(model!, test.x, test.rows), 4), 4).macroF1);
        }
      }
    }
    const xgF1 = xgFit.slice(0, SPLITS).map((x) => x.f1);

    // --- scoring: the worker pool vs one single-threaded session, both onnxruntime-node ---
    const { model } = trainGbm(subset(data, splits[0].train), { ...PARAMS, seed: 1 });
    const modelFile = path.join(work, 'model.onnx');
    writeFileSync(modelFile, exportTreeEnsemble(model));
    const big = tile(data, SCORE_ROWS);
    const width = data.features.length;
    const scoring: { name: string; wall: number; cpu: number }[] = [];
    const rate = (runs: Timing[]) => ({ wall: SCORE_ROWS / (median(runs.map((r) => r.wallMs)) / 1000), cpu: SCORE_ROWS / (median(runs.map((r) => r.cpuMs)) / 1000) });
    predictProbabilities(model, big.subarray(0, width * 10_000), 10_000); // warm-up
    const tsRuns: Timing[] = [];
    for (let i = 0; i < 3; i++) tsRuns.push(await timed(() => predictProbabilities(model, big, SCORE_ROWS)));
    scoring.push({ name: 'TypeScript tree walk, in process (reference)', ...rate(tsRuns) });

    const onnx = await OnnxClassifier.load(modelFile, { threads: POOL_THREADS });
    const poolStart = await timed(() => onnx.startPool());
    // Single session on the calling thread (the baseline) at three batch sizes, then the pool; the
    // baseline at 65,536 and the pool alternate run by run so each pair sees the same machine load.
    for (const batch of [1024, 8192]) {
      await onnx.predictHere(big.subarray(0, batch * width * 4), batch * 4, batch); // warm-up
      const runs: Timing[] = [];
      for (let i = 0; i < 3; i++) runs.push(await timed(() => onnx.predictHere(big, SCORE_ROWS, batch)));
      scoring.push({ name: `onnxruntime-node, one session, batches of ${fmt(batch)}`, ...rate(runs) });
    }
    await onnx.predictHere(big.subarray(0, 65_536 * width), 65_536);
    await onnx.predict(big.subarray(0, 200_000 * width), 200_000);
    const coresBefore = await coresAvailable(POOL_THREADS);
    const singleRuns: Timing[] = [];
    const poolRuns: Timing[] = [];
    const poolRatios: number[] = [];
    const poolCpuRatios: number[] = [];
    for (let i = 0; i < SCORE_PAIRS; i++) {
      const single = await timed(() => onnx.predictHere(big, SCORE_ROWS, 65_536));
      const pooled = await timed(() => onnx.predict(big, SCORE_ROWS, 65_536));
      singleRuns.push(single);
      poolRuns.push(pooled);
      poolRatios.push(single.wallMs / pooled.wallMs);
      poolCpuRatios.push(single.cpuMs / pooled.cpuMs);
    }
    const coresAfter = await coresAvailable(POOL_THREADS);
    const single = rate(singleRuns);
    const pooled = rate(poolRuns);
    scoring.push({ name: 'onnxruntime-node, one session, batches of 65,536 (baseline)', ...single });
    scoring.push({ name: `onnxruntime-node, pool of ${POOL_THREADS} worker threads × one session, chunks ≤ 65,536`, ...pooled });
    // Where the pool starts to pay: the same request on this thread and in the pool, per call.
    const crossover: { rows: number; here: number; pool: number }[] = [];
    for (const rows of [256, 512, 1024, 2048, 4096, 16_384]) {
      const x = big.subarray(0, rows * width);
      const calls = Math.max(5, Math.ceil(100_000 / rows));
      const here: number[] = [];
      const pool: number[] = [];
      const p = await onnx.startPool();
      const chunkRows = Math.ceil(rows / (POOL_THREADS * 4));
      for (let i = 0; i < calls; i++) {
        here.push((await timed(() => onnx.predictHere(x, rows))).wallMs);
        pool.push((await timed(() => p.predict(x, rows, chunkRows))).wallMs);
      }
      crossover.push({ rows, here: median(here), pool: median(pool) });
    }
    await onnx.close();
    const xgPredict = await python.ask<{ rows_per_s: number; rows_per_cpu_s: number }>(`predict ${SCORE_ROWS}`);
    python.close();
    scoring.push({ name: 'XGBoost inplace_predict, nthread=1 (reference)', wall: xgPredict.rows_per_s, cpu: xgPredict.rows_per_cpu_s });

    // --- end to end: \`c360 score\` on a CSV (parse, encode, onnxruntime, format, write) ---
    const csvRows = 120_000;
    const text = readFileSync(DATA, 'utf8').trim().split(/\r?\n/);
    const lines = [text[0]];
    for (let i = 0; lines.length <= csvRows; i++) lines.push(text[1 + (i % (text.length - 1))]);
    const csvFile = path.join(work, 'profiles.csv');
    writeFileSync(csvFile, lines.join('\n') + '\n');
    const e2e: { threads: number; wall: number; cpu: number }[] = [];
    for (const threads of [1, POOL_THREADS]) {
      const runs: Timing[] = [];
      for (let i = 0; i < 3; i++) runs.push(await timed(() => runScoreJob({ model: modelFile, data: csvFile, out: path.join(work, 'scored.csv'), threads })));
      e2e.push({ threads, wall: csvRows / (median(runs.map((r) => r.wallMs)) / 1000), cpu: csvRows / (median(runs.map((r) => r.cpuMs)) / 1000) });
    }

    const tsWall = median(tsFit.map((t) => t.wallMs));
    const tsCpu = median(tsFit.map((t) => t.cpuMs));
    const xgWall = median(xgFit.map((x) => x.wall_ms));
    const xgCpu = median(xgFit.map((x) => x.cpu_ms));
    const wallRatio = median(wallRatios);
    const cpuRatio = median(cpuRatios);
    const loadAfter = os.loadavg()[0];
    const out = [
      `## ML: training and scoring (bench/ml.bench.ts)`,
      '',
      `${machineSummary()}; XGBoost ${xgbVersion} (python3-xgboost); onnxruntime-node ${ORT_VERSION}. ` +
        `1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (${os.cpus().length} cores): wall times are only comparable on a quiet machine, CPU times are.`,
      '',
      `Training on the original table (${fmt(splits[0].train.length)} rows × 23 predictors), 50 rounds × 4 classes, depth 5, learning rate 0.1, ` +
        `${SPLITS} random 90/10 splits (the same for both), ${PASSES} passes; fits of the two trainers alternate, so each pair runs under the same load. ` +
        `Medians of the ${SPLITS * PASSES} fits; the ratios are medians of the per-pair ratios:`,
      '',
      '| trainer | fit wall (ms) | fit CPU (ms) | first fit in process, wall (ms) | mean macro-F1 | ratio to XGBoost, wall | ratio to XGBoost, CPU |',
      '|---|---:|---:|---:|---:|---:|---:|',
      `| XGBoost hist, nthread=1 (baseline) | ${fmt(xgWall)} | ${fmt(xgCpu)} | ${fmt(xgCold.wall_ms)} | ${mean(xgF1).toFixed(3)} | 1.00× | 1.00× |`,
      `| c360 TypeScript GBM | ${fmt(tsWall)} | ${fmt(tsCpu)} | ${fmt(cold.wallMs)} | ${mean(tsF1).toFixed(3)} | ${wallRatio.toFixed(2)}× | ${cpuRatio.toFixed(2)}× |`,
      '',
      `Target ≤ 1.5× XGBoost's fit time: ${cpuRatio <= 1.5 ? 'met' : 'NOT met'} on CPU time, ${wallRatio <= 1.5 ? 'met' : 'NOT met'} on wall time.`,
      '',
      `Scoring ${fmt(SCORE_ROWS)} rows (the table tiled) with one 200-tree model. Each onnxruntime session is single-threaded; ` +
        `the pool runs one per worker thread (byte-identical output). Baseline and pool alternate, ${SCORE_PAIRS} pairs; other rows median of 3. ` +
        `Starting the pool's ${POOL_THREADS} workers took ${fmt(poolStart.wallMs)} ms (once per model):`,
      '',
      '| scorer | rows/s (wall) | rows per CPU-second | ratio to one session, wall |',
      '|---|---:|---:|---:|',
      ...scoring.map((r) => `| ${r.name} | ${fmt(r.wall)} | ${fmt(r.cpu)} | ${(r.wall / single.wall).toFixed(2)}× |`),
      ...e2e.map((r) => `| \`c360 score --threads ${r.threads}\` end to end, ${fmt(csvRows)}-row CSV (parse, encode, score, format, write) | ${fmt(r.wall)} | ${fmt(r.cpu)} | ${(r.wall / single.wall).toFixed(2)}× |`),
      '',
      `Pool against one session, median of the ${SCORE_PAIRS} per-pair ratios: ${median(poolRatios).toFixed(2)}× on wall time, ${median(poolCpuRatios).toFixed(2)}× on CPU time (below 1: the pool's overhead in CPU).`,
      '',
      `Cores this process could get (${POOL_THREADS} busy-loop threads against one), just before and just after the pool runs: ${coresBefore.toFixed(2)} and ${coresAfter.toFixed(2)} of ${POOL_THREADS}.`,
      '',
      `Target ≥ 500,000 rows/s in batches: ${pooled.wall >= 500_000 ? 'met' : 'NOT met'} (pool ${fmt(pooled.wall)} rows/s; one session ${fmt(single.wall)} rows/s).`,
      '',
      'Where the pool pays off — one request, median wall time per call (milliseconds):',
      '',
      '| rows per request | this thread | pool | pool / this thread |',
      '|---:|---:|---:|---:|',
      ...crossover.map((c) => `| ${fmt(c.rows)} | ${fmt(c.here, 2)} | ${fmt(c.pool, 2)} | ${(c.pool / c.here).toFixed(2)} |`),
      '',
    ];
    console.log(out.join('\n'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
