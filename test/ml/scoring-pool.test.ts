// The scoring worker pool: the same bytes as one single-threaded session whatever the chunking, errors
// from a worker reach the caller with a clear message, and no worker keeps a process alive.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../engine/core/errors.js';
import { loadLabelledCsv } from '../../engine/services/ml/dataset.js';
import { defaultFeatureSpecs } from '../../engine/services/ml/features.js';
import { trainGbm } from '../../engine/services/ml/gbm/train.js';
import { OnnxClassifier, SESSION_OPTIONS } from '../../engine/services/ml/onnx-model.js';
import { exportTreeEnsemble } from '../../engine/services/ml/onnx/export.js';
import { OnnxScorer } from '../../engine/services/ml/scorer.js';
import { ScoringPool } from '../../engine/services/ml/scoring-pool.js';
import { repoRoot } from '../helpers/cli.js';
import { ORIGINAL_PROFILES, readSimpleCsv } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'c360-ml-pool-'));
const modelFile = path.join(dir, 'model.onnx');
let x: Float32Array;
let width: number;
let model: OnnxClassifier;

/** `rows` profiles (the original table repeated), row-major, with a few missing values. */
function rowsOf(source: Float32Array, rows: number): Float32Array {
  const sourceRows = source.length / width;
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) out.set(source.subarray((r % sourceRows) * width, ((r % sourceRows) + 1) * width), r * width);
  for (let i = 7; i < out.length; i += 101) out[i] = NaN;
  return out;
}

const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

beforeAll(async () => {
  const data = await loadLabelledCsv(ORIGINAL_PROFILES, defaultFeatureSpecs());
  width = data.features.length;
  writeFileSync(modelFile, exportTreeEnsemble(trainGbm(data, { trees: 20, maxDepth: 4, learningRate: 0.1, seed: 3 }).model));
  x = rowsOf(data.x, 20_011);
  // poolMinRows 1: every non-empty request goes to the workers, however small.
  model = await OnnxClassifier.load(modelFile, { threads: 2, poolMinRows: 1 });
});

afterAll(async () => {
  await model?.close();
});

describe('ScoringPool', () => {
  it('gives the same bytes as one single-threaded session, in input order', async () => {
    const single = await model.predictHere(x, 20_011);
    // 20,011 rows: chunks of 2,502 (8 per 2 workers) with a short last one; then 1,000-row chunks
    // (not a divisor); then chunks of 20,010 and a 1-row tail (onnxruntime's N = 1 path).
    expect(bytesOf(await model.predict(x, 20_011)).equals(bytesOf(single))).toBe(true);
    expect(bytesOf(await model.predict(x, 20_011, 1000)).equals(bytesOf(single))).toBe(true);
    const pool = await model.startPool();
    expect(bytesOf(await pool.predict(x, 20_011, 20_010)).equals(bytesOf(single))).toBe(true);
    // Not every row alike: the output really depends on the row (a pool that mixed up chunks would fail above).
    expect(new Set(Array.from(single.subarray(0, 4000), (p) => p.toFixed(6))).size).toBeGreaterThan(20);
  });

  it('handles an empty input and concurrent requests', async () => {
    expect(await model.predict(new Float32Array(0), 0)).toEqual(new Float32Array(0));
    const parts = [3, 4096, 777, 10_000].map((n, i) => x.subarray(i * 100 * width, (i * 100 + n) * width));
    const together = await Promise.all(parts.map((p) => model.predict(p, p.length / width, 500)));
    for (let i = 0; i < parts.length; i++) expect(bytesOf(together[i]).equals(bytesOf(await model.predictHere(parts[i], parts[i].length / width)))).toBe(true);
  });

  it('scores small requests on the calling thread by default and leaves the pool unstarted', async () => {
    const m = await OnnxClassifier.load(modelFile, { threads: 2 });
    try {
      expect(m.poolMinRows).toBeGreaterThan(100);
      const p = await m.predict(x.subarray(0, 100 * width), 100);
      expect(bytesOf(p).equals(bytesOf(await m.predictHere(x.subarray(0, 100 * width), 100)))).toBe(true);
      expect((m as unknown as { pool: unknown }).pool).toBeNull();
    } finally {
      await m.close();
    }
  });

  it('scores the pipeline\'s raw rows the same with a pool as on one thread', async () => {
    const { header, rows } = readSimpleCsv(readFileSync(ORIGINAL_PROFILES, 'utf8'));
    const records = rows.slice(0, 3000).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    const pooled = await OnnxScorer.load(modelFile, { threads: 2 });
    const single = await OnnxScorer.load(modelFile, { threads: 1 });
    try {
      expect(records.length).toBeGreaterThanOrEqual(pooled.model.poolMinRows);
      const a = await pooled.score(records);
      const b = await single.score(records);
      expect(bytesOf(a.probabilities).equals(bytesOf(b.probabilities))).toBe(true);
      expect(a.labels).toEqual(b.labels);
      expect((pooled.model as unknown as { pool: unknown }).pool).not.toBeNull();
    } finally {
      await pooled.close();
      await single.close();
    }
  });

  it('rejects a model a worker cannot load, with onnxruntime\'s reason', async () => {
    const corrupt = new Uint8Array(readFileSync(modelFile));
    corrupt.fill(0xff, 40, 400);
    const start = ScoringPool.start({ model: corrupt, file: 'corrupt.onnx', sessionOptions: SESSION_OPTIONS, inputName: 'input', outputName: 'probabilities', width, classes: 4, workers: 2 });
    await expect(start).rejects.toBeInstanceOf(UserError);
    await expect(start).rejects.toThrow(/corrupt\.onnx.*onnxruntime cannot load the model in a scoring thread: \S+/);
  });

  it('passes a failing run back to the caller with the worker\'s message', async () => {
    const pool = await ScoringPool.start({ model: readFileSync(modelFile), file: 'm.onnx', sessionOptions: SESSION_OPTIONS, inputName: 'no_such_input', outputName: 'probabilities', width, classes: 4, workers: 2 });
    try {
      await expect(pool.predict(x.subarray(0, 10 * width), 10, 5)).rejects.toThrow(/m\.onnx: scoring thread: input 'input' is missing/);
    } finally {
      await pool.close();
    }
    await expect(pool.predict(x.subarray(0, 10 * width), 10, 5)).rejects.toThrow(/closed/);
  });

  it('fails pending and later requests when a worker dies', async () => {
    const pool = await ScoringPool.start({ model: readFileSync(modelFile), file: 'm.onnx', sessionOptions: SESSION_OPTIONS, inputName: 'input', outputName: 'probabilities', width, classes: 4, workers: 2 });
    try {
      const pending = pool.predict(x, 20_011, 100);
      const { worker } = (pool as unknown as { threads: { worker: import('node:worker_threads').Worker }[] }).threads[1];
      // Stands in for a native crash or an out-of-memory kill. The worker ends itself after its current run:
      // a thread ended inside an onnxruntime run would abort this whole test process.
      worker.postMessage({ kind: 'exit', code: 1 });
      await expect(pending).rejects.toThrow(/m\.onnx: a scoring thread stopped: exited with code 1/);
      await expect(pool.predict(x.subarray(0, width), 1, 1)).rejects.toThrow(/a scoring thread stopped/);
    } finally {
      await pool.close();
    }
  });

  it('does not keep a process alive when a scorer is never closed', async () => {
    const started = performance.now();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/ml/fixtures/pool-left-open.ts'), modelFile], { cwd: repoRoot });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('scored 5000 rows\n');
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
