// Batch scoring across worker threads: onnxruntime's session.run blocks the thread that calls it, so
// using more than one core for a big input takes more than one thread. Each worker (scoring-worker.js)
// holds its own single-threaded session of the same model; a request is cut into chunks, each free
// worker takes the next chunk, and the probabilities are put back in input order. Every row is scored
// by the same single-threaded kernel whichever worker gets it, so the output is byte-identical to one
// session's — unlike onnxruntime's intra-op threads, which split a row's tree sums differently.
//
// Idle workers are unref'd: a process that keeps a scorer loaded (the pipeline caches one per model)
// still exits when its work is done, without having to close it.
import { Worker } from 'node:worker_threads';
import { UserError } from '../../core/errors.js';

const WORKER_URL = new URL('./scoring-worker.js', import.meta.url);

export interface ScoringPoolOptions {
  /** The model's bytes (each worker gets a copy and builds its own session). */
  model: Uint8Array;
  /** For messages. */
  file: string;
  sessionOptions: Record<string, unknown>;
  inputName: string;
  outputName: string;
  width: number;
  classes: number;
  workers: number;
}

interface Chunk {
  x: Float32Array<ArrayBuffer>;
  rows: number;
  resolve: (probabilities: Float32Array) => void;
  reject: (error: Error) => void;
}

type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'failed'; error: string }
  | { id: number; probabilities: Float32Array }
  | { id: number; error: string };

class ScoringThread {
  busy: Chunk | null = null;
  private nextId = 0;
  private exited = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    readonly worker: Worker,
    private readonly onDone: (thread: ScoringThread) => void,
    private readonly onCrash: (error: Error) => void,
  ) {
    worker.on('message', (reply: WorkerReply) => this.receive(reply));
    worker.on('error', (error) => this.onCrash(error));
    worker.on('exit', (code) => {
      this.exited = true;
      this.settle();
      this.onCrash(new Error(`exited with code ${code}`));
    });
  }

  run(chunk: Chunk): void {
    this.busy = chunk;
    this.worker.ref(); // a pending chunk keeps the process alive until its answer arrives
    // The chunk's buffer is moved, not copied; the caller never sees it again.
    this.worker.postMessage({ id: ++this.nextId, x: chunk.x, rows: chunk.rows }, [chunk.x.buffer]);
  }

  /** Resolves once the thread has no run in progress (its reply came, or it exited). */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Ends the thread between runs (see scoring-worker.js: never while onnxruntime is inside a run). */
  async stop(): Promise<void> {
    await this.idle();
    if (this.exited) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.ref(); // idle threads are unref'd: without this, the process could end while waiting here
    this.worker.postMessage({ kind: 'exit', code: 0 });
    await exited;
  }

  private settle(): void {
    this.busy = null;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private receive(reply: WorkerReply): void {
    const chunk = this.busy;
    if (!chunk || !('id' in reply) || reply.id !== this.nextId) return;
    this.settle();
    this.worker.unref();
    if ('error' in reply) chunk.reject(new Error(reply.error));
    else chunk.resolve(reply.probabilities);
    this.onDone(this);
  }
}

export class ScoringPool {
  private readonly queue: Chunk[] = [];
  private failure: Error | null = null;
  private closed = false;
  private threads: ScoringThread[] = [];

  private constructor(private readonly options: ScoringPoolOptions) {}

  get size(): number {
    return this.options.workers;
  }

  /** Starts the workers and waits until each has built its session; a model one cannot load is a UserError. */
  static async start(options: ScoringPoolOptions): Promise<ScoringPool> {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`workers must be a positive integer, got ${options.workers}`);
    const pool = new ScoringPool(options);
    const { model, sessionOptions, inputName, outputName, width, classes } = options;
    // execArgv []: the worker is plain JavaScript, so it must not inherit the parent's `--import tsx`
    // (that would load tsx in every worker: measured 0.3 s more per start) or profiling flags.
    const workerData = { model, sessionOptions, inputName, outputName, width, classes };
    const workers = Array.from({ length: options.workers }, () => new Worker(WORKER_URL, { workerData, execArgv: [] }));
    const ready = workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const onMessage = (reply: WorkerReply) => {
            if (!('kind' in reply)) return;
            worker.off('error', onError);
            if (reply.kind === 'ready') resolve();
            else reject(new UserError(`onnxruntime cannot load the model in a scoring thread: ${reply.error}`, { file: options.file }));
          };
          const onError = (error: Error) => reject(new UserError(`a scoring thread failed to start: ${error.message}`, { file: options.file }));
          worker.once('message', onMessage);
          worker.once('error', onError);
        }),
    );
    const started = await Promise.allSettled(ready);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason;
    }
    pool.threads = workers.map((w) => new ScoringThread(w, (t) => pool.dispatch(t), (e) => pool.crash(e)));
    for (const w of workers) w.unref();
    return pool;
  }

  /**
   * Class probabilities (rows × classes, row-major) for a row-major float32 matrix. The rows are cut into
   * chunks of at most `chunkRows`, copied once each into a buffer of their own, and that buffer is
   * transferred to a worker (a view on the caller's buffer cannot be transferred without detaching it all).
   */
  async predict(x: Float32Array, rows: number, chunkRows: number): Promise<Float32Array> {
    const { width, classes } = this.options;
    if (x.length !== rows * width) throw new RangeError(`expected ${rows * width} values, got ${x.length}`);
    const out = new Float32Array(rows * classes);
    const pending: Promise<void>[] = [];
    for (let start = 0; start < rows; start += chunkRows) {
      const count = Math.min(chunkRows, rows - start);
      const chunk = x.slice(start * width, (start + count) * width);
      pending.push(this.submit(chunk, count).then((p) => out.set(p, start * classes)));
    }
    await Promise.all(pending);
    return out;
  }

  /** Scores one chunk whose buffer the pool may take over (it is transferred to a worker, not copied). */
  submit(x: Float32Array<ArrayBuffer>, rows: number): Promise<Float32Array> {
    if (this.closed) return Promise.reject(new Error('the scoring pool is closed'));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const chunk: Chunk = {
        x,
        rows,
        resolve: (p) => (p.length === rows * this.options.classes ? resolve(p) : reject(new UserError(`model returned ${p.length} probabilities for ${rows} rows`, { file: this.options.file }))),
        reject: (e) => reject(e instanceof UserError ? e : new UserError(`scoring thread: ${e.message}`, { file: this.options.file })),
      };
      this.queue.push(chunk);
      const idle = this.threads.find((t) => !t.busy);
      if (idle) this.dispatch(idle);
    });
  }

  private dispatch(thread: ScoringThread): void {
    if (this.failure || this.closed) return;
    const chunk = this.queue.shift();
    if (chunk) thread.run(chunk);
  }

  /** A worker died (native crash, out of memory): every pending and later request fails with the reason. */
  private crash(error: Error): void {
    if (this.closed || this.failure) return;
    this.failure = new UserError(`a scoring thread stopped: ${error.message}`, { file: this.options.file });
    for (const t of this.threads) t.busy?.reject(this.failure);
    for (const chunk of this.queue.splice(0)) chunk.reject(this.failure);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error('the scoring pool was closed');
    for (const chunk of this.queue.splice(0)) chunk.reject(error);
    for (const t of this.threads) t.busy?.reject(error);
    // Runs in progress finish first (their answers are dropped): a thread ended inside a run aborts the process.
    await Promise.all(this.threads.map((t) => t.stop()));
  }
}
