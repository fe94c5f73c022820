// One scoring thread of a ScoringPool (scoring-pool.ts). Plain JavaScript on purpose: tsx compiles
// TypeScript only on the main thread (its loader hooks do not reach worker threads on Node 20), and this
// file needs nothing but onnxruntime-node.
//
// The thread holds one single-threaded onnxruntime session, so each row is summed by the same kernel in
// the same tree order as on the main thread: the pool's output is byte-identical to a single session's.
// Protocol — in: { id, x: Float32Array (transferred), rows }; out: { kind: 'ready' } once, then
// { id, probabilities: Float32Array (transferred) } or { id, error } per request; { kind: 'exit', code }
// ends the thread after the current run. A session that cannot be created is reported as
// { kind: 'failed', error } and the thread ends.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

const { model, sessionOptions, inputName, outputName, width, classes } = workerData;

function firstLine(error) {
  return String(error instanceof Error ? error.message : error).split('\n')[0].trim();
}

let session;
try {
  session = await ort.InferenceSession.create(model, sessionOptions);
} catch (e) {
  parentPort.postMessage({ kind: 'failed', error: firstLine(e) });
  process.exit(0);
}

// Requests are handled one after another (the pool sends one at a time anyway): a `{ kind: 'exit' }`
// message then ends the thread only between runs. Ending a thread while onnxruntime is inside a run
// aborts the whole process ("terminate called after throwing an instance of 'Napi::Error'").
let chain = Promise.resolve();
parentPort.on('message', (message) => {
  chain = chain.then(() => (message.kind === 'exit' ? process.exit(message.code ?? 0) : score(message)));
});

async function score({ id, x, rows }) {
  try {
    const input = new ort.Tensor('float32', x, [rows, width]);
    const result = await session.run({ [inputName]: input }, [outputName]);
    const probabilities = result[outputName].data;
    if (!(probabilities instanceof Float32Array) || probabilities.length !== rows * classes)
      throw new Error(`model returned ${probabilities.length} probabilities for ${rows} rows`);
    // The output tensor owns a fresh ArrayBuffer: handing it over moves it instead of copying it.
    parentPort.postMessage({ id, probabilities }, [probabilities.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: firstLine(e) });
  }
}
parentPort.postMessage({ kind: 'ready' });
