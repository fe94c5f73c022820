// An ONNX classifier loaded into onnxruntime-node, with the checks that make a wrong model fail loudly
// instead of scoring garbage: one float input of the right width, a float probability tensor with one
// column per class, and a known feature order (from our metadata, a `feature_names` entry, or — for a
// plain 23-wide model trained elsewhere — the original 23 predictors).
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { assertReadableFile } from '../../io/lines.js';
import { CLASS_COUNT, defaultFeatureSpecs, ORIGINAL_PREDICTORS, type FeatureSpec } from './features.js';
import { META_FEATURES } from './onnx/export.js';
import { readModelMetadata } from './onnx/onnx-proto.js';
import { ProtoFormatError } from './onnx/protobuf.js';

/** metadata_props key a model trained elsewhere can carry: comma-separated column names in input order. */
export const META_FEATURE_NAMES = 'feature_names';
/** Rows per onnxruntime call: large enough to amortise the call, small enough to stream. */
export const DEFAULT_BATCH_ROWS = 65_536;

const featureSpecSchema = z.array(
  z.union([
    z.object({ name: z.string().min(1), kind: z.literal('numeric') }),
    z.object({ name: z.string().min(1), kind: z.literal('categorical'), categories: z.record(z.string(), z.number()) }),
  ]),
);

export class OnnxClassifier {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly file: string,
    readonly features: FeatureSpec[],
    readonly metadata: Record<string, string>,
    private readonly inputName: string,
    private readonly probabilityOutput: string,
    readonly classes: number,
  ) {}

  /**
   * `threads`: onnxruntime intra-op threads, 1 by default. With one thread every row sums its trees in
   * the same order whatever the batch size or machine, so output bytes are reproducible; more threads
   * are faster but split the sums differently (probabilities then differ in the last float bit).
   */
  static async load(file: string, options: { threads?: number } = {}): Promise<OnnxClassifier> {
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
      session = await ort.InferenceSession.create(bytes, {
        graphOptimizationLevel: 'all',
        intraOpNumThreads: options.threads ?? 1,
        interOpNumThreads: 1,
        // Fatal only: a load error reaches the user once, as our one-line message, not as a log dump.
        logSeverityLevel: 4,
        // Idle pool threads sleep instead of spinning: the twin runs emulators and the pipeline in the
        // same process, and spinning threads starve them (measured 3× slower scoring on a busy machine).
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
    } catch (e) {
      throw new UserError(`onnxruntime cannot load the model: ${firstLine((e as Error).message)}`, { file });
    }
    try {
      const { inputName, width } = checkInput(session, file);
      const { probabilityOutput, classes } = checkOutputs(session, file);
      const features = resolveFeatures(metadata, width, file);
      return new OnnxClassifier(session, file, features, metadata, inputName, probabilityOutput, classes);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  /**
   * Class probabilities (rows × classes, row-major) for a row-major float32 matrix, scored in batches.
   * A batch is a view on `x`, so no copy is made.
   */
  async predict(x: Float32Array, rows: number, batchRows = DEFAULT_BATCH_ROWS): Promise<Float32Array> {
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

  async close(): Promise<void> {
    await this.session.release();
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
