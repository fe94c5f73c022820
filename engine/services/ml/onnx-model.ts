// An ONNX classifier loaded into onnxruntime-node, with the checks that make a wrong model fail loudly
// instead of scoring garbage: one float input of the right width, a float probability tensor with one
// column per class, and a known feature order (from our metadata, a `feature_names` entry, or — for a
// plain 23-wide model trained elsewhere — the original 23 predictors).
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { assertReadableFile } from '../../io/lines.js';
import { CLASS_COUNT, defaultFeatureSpecs, ORIGINAL_PREDICTORS, type FeatureSpec } from './features.js';
import { META_FEATURES } from './onnx/export.js';
import { readModelMetadata } from './onnx/onnx-proto.js';
import { ProtoFormatError } from './onnx/protobuf.js';
import { ScoringPool } from './scoring-pool.js';

/** metadata_props key a model trained elsewhere can carry: comma-separated column names in input order. */
export const META_FEATURE_NAMES = 'feature_names';
/** Rows per onnxruntime call: large enough to amortise the call, small enough to stream. */
export const DEFAULT_BATCH_ROWS = 65_536;
/**
 * Below this many rows a request is scored on the calling thread: handing chunks to workers costs a
 * message round trip and a copy per chunk. Measured on 2 cores (bench/ml.bench.ts): 256 rows take 1.7×
 * as long in the pool, 1,024 rows 0.8×; the threshold sits above that crossover because a worker's wake-up
 * is slower on a busy machine. Pipeline slices are often below it; `c360 score` batches are above.
 */
export const POOL_MIN_ROWS = 2_048;
/** Chunks per worker a pooled request is cut into: a worker slowed by other load then takes fewer. */
const CHUNKS_PER_WORKER = 4;

/** Scoring threads by default: one per core this process may use. */
export function defaultScoringThreads(): number {
  return os.availableParallelism();
}

/**
 * One onnxruntime session = one thread, on the main thread and in every pool worker alike. With one
 * thread a row's trees are summed in the same order whatever the batch or machine, so output bytes are
 * reproducible; parallelism comes from scoring different rows in different workers (scoring-pool.ts).
 */
export const SESSION_OPTIONS = {
  graphOptimizationLevel: 'all',
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  // Fatal only: a load error reaches the user once, as our one-line message, not as a log dump.
  logSeverityLevel: 4,
  // No spinning: the twin runs emulators and the pipeline in the same process, and spinning threads
  // starve them (measured 3× slower scoring on a busy machine).
  extra: { session: { intra_op: { allow_spinning: '0' } } },
} as const satisfies ort.InferenceSession.SessionOptions;

export interface LoadOptions {
  /**
   * Scoring threads (default: one per available core). Requests of at least `poolMinRows` rows are
   * spread over that many worker threads, each with its own single-threaded session; 1 scores
   * everything on the calling thread. The output bytes are the same for every value.
   */
  threads?: number;
  /** Smallest request sent to the worker pool (default POOL_MIN_ROWS). */
  poolMinRows?: number;
}

const featureSpecSchema = z.array(
  z.union([
    z.object({ name: z.string().min(1), kind: z.literal('numeric') }),
    z.object({ name: z.string().min(1), kind: z.literal('categorical'), categories: z.record(z.string(), z.number()) }),
  ]),
);

export class OnnxClassifier {
  /** Started by the first request big enough to use it, so small users never pay for the threads. */
  private pool: Promise<ScoringPool> | null = null;
  private closed = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly bytes: Uint8Array,
    readonly file: string,
    readonly features: FeatureSpec[],
    readonly metadata: Record<string, string>,
    private readonly inputName: string,
    private readonly probabilityOutput: string,
    readonly classes: number,
    /** Scoring threads (1 = the calling thread only). */
    readonly threads: number,
    readonly poolMinRows: number,
  ) {}

  static async load(file: string, options: LoadOptions = {}): Promise<OnnxClassifier> {
    const threads = options.threads ?? defaultScoringThreads();
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    await assertReadableFile(file, 'model');
    const bytes = new Uint8Array(await readFile(file));
    let metadata: Record<string, string>;
    try {
      metadata = readModelMetadata(bytes);
    } catch (e) {
      if (e instanceof ProtoFormatError) throw new UserError(`not a valid ONNX model (${e.message})`, { file });
      throw e;
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
    } catch (e) {
      throw new UserError(`onnxruntime cannot load the model: ${firstLine((e as Error).message)}`, { file });
    }
    try {
      const { inputName, width } = checkInput(session, file);
      const { probabilityOutput, classes } = checkOutputs(session, file);
      const features = resolveFeatures(metadata, width, file);
      return new OnnxClassifier(session, bytes, file, features, metadata, inputName, probabilityOutput, classes, threads, options.poolMinRows ?? POOL_MIN_ROWS);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  /**
   * Class probabilities (rows × classes, row-major) for a row-major float32 matrix, in batches of at most
   * `batchRows` rows: across the worker pool when there are enough rows, else on this thread.
   */
  async predict(x: Float32Array, rows: number, batchRows = DEFAULT_BATCH_ROWS): Promise<Float32Array> {
    const width = this.features.length;
    if (x.length !== rows * width) throw new RangeError(`expected ${rows * width} values, got ${x.length}`);
    if (this.closed) throw new Error('the model is closed');
    if (this.threads > 1 && rows >= this.poolMinRows) {
      const pool = await this.startPool();
      const chunkRows = Math.min(batchRows, Math.ceil(rows / (pool.size * CHUNKS_PER_WORKER)));
      return pool.predict(x, rows, chunkRows);
    }
    return this.predictHere(x, rows, batchRows);
  }

  /**
   * Scores one batch the caller hands over (it must not touch `x` afterwards): when it goes to the pool
   * its buffer is transferred to one worker as is — no copy, and no splitting — so it suits a caller
   * that keeps several batches in flight (the score job: one per worker, plus one). Same bytes as predict().
   */
  async predictOwned(x: Float32Array<ArrayBuffer>, rows: number): Promise<Float32Array> {
    if (this.closed) throw new Error('the model is closed');
    const whole = x.byteOffset === 0 && x.byteLength === x.buffer.byteLength;
    if (this.threads > 1 && rows >= this.poolMinRows && whole && x.length === rows * this.features.length) return (await this.startPool()).submit(x, rows);
    return this.predictHere(x, rows, Math.max(rows, 1));
  }

  /** Scores on the calling thread with the model's own session. A batch is a view on `x`: no copy. */
  async predictHere(x: Float32Array, rows: number, batchRows = DEFAULT_BATCH_ROWS): Promise<Float32Array> {
    const width = this.features.length;
    if (x.length !== rows * width) throw new RangeError(`expected ${rows * width} values, got ${x.length}`);
    const out = new Float32Array(rows * this.classes);
    for (let start = 0; start < rows; start += batchRows) {
      const count = Math.min(batchRows, rows - start);
      const input = new ort.Tensor('float32', x.subarray(start * width, (start + count) * width), [count, width]);
      const result = await this.session.run({ [this.inputName]: input }, [this.probabilityOutput]);
      const probs = result[this.probabilityOutput];
      const data = probs.data as Float32Array;
      if (data.length !== count * this.classes)
        throw new UserError(`model returned ${data.length} probabilities for ${count} rows`, { file: this.file });
      out.set(data, start * this.classes);
      input.dispose();
      probs.dispose();
    }
    return out;
  }

  /** The worker pool (started on first use; `threads` workers). */
  startPool(): Promise<ScoringPool> {
    if (!this.pool) {
      this.pool = ScoringPool.start({
        model: this.bytes,
        file: this.file,
        sessionOptions: SESSION_OPTIONS,
        inputName: this.inputName,
        outputName: this.probabilityOutput,
        width: this.features.length,
        classes: this.classes,
        workers: this.threads,
      });
      this.pool.catch(() => (this.pool = null)); // a failed start is reported to its caller; a later request retries
    }
    return this.pool;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await Promise.all([this.session.release(), pool?.then((p) => p.close(), () => undefined)]);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

function checkInput(session: ort.InferenceSession, file: string): { inputName: string; width: number } {
  if (session.inputMetadata.length !== 1)
    throw new UserError(`model has ${session.inputMetadata.length} inputs (${session.inputNames.join(', ')}); expected one float tensor [N, features]`, { file });
  const meta = session.inputMetadata[0];
  if (!meta.isTensor || meta.type !== 'float32')
    throw new UserError(`model input "${meta.name}" must be a float tensor (got ${meta.isTensor ? meta.type : 'a non-tensor'})`, { file });
  const width = meta.shape.length === 2 ? meta.shape[1] : undefined;
  if (typeof width !== 'number' || width <= 0)
    throw new UserError(`model input "${meta.name}" must have shape [N, features] with a fixed feature count (got [${meta.shape.join(', ')}])`, { file });
  return { inputName: meta.name, width };
}

function checkOutputs(session: ort.InferenceSession, file: string): { probabilityOutput: string; classes: number } {
  const candidates = session.outputMetadata.filter(
    (m): m is ort.InferenceSession.TensorValueMetadata => m.isTensor && m.type === 'float32' && m.shape.length === 2,
  );
  if (candidates.length === 0) {
    const zipMap = session.outputMetadata.some((m) => !m.isTensor);
    throw new UserError(
      zipMap
        ? 'model outputs probabilities as a ZipMap (sequence of maps); export it with the ZipMap disabled (skl2onnx: options={"zipmap": False}) so probabilities are a float tensor'
        : `model has no float probability output [N, classes] (outputs: ${session.outputNames.join(', ')})`,
      { file },
    );
  }
  const named = candidates.find((m) => /prob/i.test(m.name)) ?? candidates[candidates.length - 1];
  const classes = named.shape[1];
  if (classes !== CLASS_COUNT)
    throw new UserError(`model output "${named.name}" has ${classes} columns; the Customer 360 model must predict ${CLASS_COUNT} classes (T0..T3)`, { file });
  return { probabilityOutput: named.name, classes: CLASS_COUNT };
}

function resolveFeatures(metadata: Record<string, string>, width: number, file: string): FeatureSpec[] {
  let features: FeatureSpec[];
  if (metadata[META_FEATURES] !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(metadata[META_FEATURES]);
    } catch {
      throw new UserError(`metadata "${META_FEATURES}" is not JSON`, { file });
    }
    const result = featureSpecSchema.safeParse(parsed);
    if (!result.success) throw new UserError(`metadata "${META_FEATURES}" is not a feature list: ${result.error.issues[0]?.message}`, { file });
    features = result.data;
  } else if (metadata[META_FEATURE_NAMES] !== undefined) {
    features = defaultFeatureSpecs(metadata[META_FEATURE_NAMES].split(',').map((s) => s.trim()));
  } else if (width === ORIGINAL_PREDICTORS.length) {
    features = defaultFeatureSpecs();
  } else {
    throw new UserError(
      `model takes ${width} features but does not say which: add metadata_props "${META_FEATURE_NAMES}" (comma-separated column names in input order)`,
      { file },
    );
  }
  if (features.length !== width)
    throw new UserError(`model input takes ${width} features but its metadata names ${features.length}`, { file });
  return features;
}
