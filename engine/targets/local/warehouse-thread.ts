// The local target's warehouse on a second core: the ETL activity (ProfileBuilder), the ground truth
// and the warehouse port, each a request to a WarehouseJob on a worker thread (warehouse-serve.ts).
//
// Why a thread: a seed-demo slice's warehouse work — parsing ≈ 50,000 Stream Analytics CSV rows,
// staging them, the ETL SQL, the enriched writes — took ≈ a quarter of the run's main-thread time.
// On its own thread, the rows are parsed and staged while the simulation runs (each append is posted
// as Stream Analytics makes it), the ETL SQL runs while the simulation goes through the ETL's modelled
// duration (SliceWork starts it, waits the duration, then takes the result), the reference tables load
// while the run is set up, and the writes happen behind the simulation.
//
// Determinism: requests are posted from the simulation's thread in clock order and carried out in that
// order, so an ETL reads exactly the rows appended before it was started, whenever the thread gets to it.
// Enriched writes are not waited for; if one fails, the next request (an ETL, or close) fails with it.
import { Worker } from 'node:worker_threads';
import { SkipLog, UserError, type SkippedRecord } from '../../core/errors.js';
import { MODULE_EXTENSION } from '../../io/install-root.js';
import type { GroundTruthSource, ProfileBuilder, ProfileRow, SliceWindow } from '../../ports/pipeline.js';
import type { EnrichedProfileRow, Warehouse } from '../../ports/storage.js';
import { PROBABILITY_COLUMNS } from '../../core/profile-columns.js';
// Not the warehouse service's index: this thread never loads SQLite.
import { enrichedValues, profileFromValues } from '../../services/warehouse/profile-values.js';
import type { EtlOutput, WarehouseJobOptions } from './warehouse-job.js';
import type { SerializedError, WarehouseReply, WarehouseRequest } from './warehouse-protocol.js';

/** The warehouse thread's young generation (V8's default size for a 64-bit heap). */
const WORKER_YOUNG_GENERATION_MB = 48;

/** ETL outputs whose profiles a scores-only write may name (the job keeps more: MAX_OUTPUTS_KEPT). */
const OUTPUTS_REMEMBERED = 4;

/** Labels and probabilities of enriched rows as typed arrays (one copy across threads). */
function scoresOf(rows: readonly EnrichedProfileRow[]): { labels: Int32Array; probabilities: Float64Array } {
  const k = PROBABILITY_COLUMNS.length;
  const labels = new Int32Array(rows.length);
  const probabilities = new Float64Array(rows.length * k);
  for (let i = 0; i < rows.length; i++) {
    labels[i] = rows[i].label;
    for (let j = 0; j < k; j++) probabilities[i * k + j] = rows[i].probabilities[j];
  }
  return { labels, probabilities };
}

type Waiting = { resolve: (reply: WarehouseReply) => void; reject: (error: Error) => void };

function revive(e: SerializedError): Error {
  if (e.name === 'UserError' && e.location) {
    // The message already starts with its location; rebuild it without repeating it.
    const error = new UserError('', e.location);
    error.message = e.message;
    return error;
  }
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

export class WarehouseThread implements ProfileBuilder, GroundTruthSource, Warehouse {
  /** Malformed Stream Analytics output rows the ETL runs skipped (counted, never fatal). */
  readonly skips = new SkipLog();
  /** Browsing rows read by successful ETL runs. */
  browsingRowsLoaded = 0;
  /** Settles once the warehouse is open (rejects with why it could not be). */
  readonly opened: Promise<void>;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private readonly truth = new Map<number, ReadonlyMap<number, number>>();
  /** The profile rows handed out by recent ETL outputs (by output id), for writes of their scores only. */
  private readonly handedOut = new Map<number, ProfileRow[]>();
  private nextId = 1;
  /** A failed enriched write (not waited for): the next request fails with it. */
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  /**
   * `holdUntil`: the thread starts its work only once its [0] is non-zero — the generator's first block
   * (GeneratedSessions.blocksDelivered), which the run needs first, is then made on a free core.
   * Requests made meanwhile wait in order; a warehouse that cannot be opened fails them all (and close).
   */
  constructor(options: WarehouseJobOptions, thread: { holdUntil?: Int32Array } = {}) {
    const workerData = { options, holdUntil: thread.holdUntil, fromSource: MODULE_EXTENSION === '.ts' };
    // V8's default young generation for this thread, not the run's 64 MB semi-spaces (bin/c360.js): it
    // allocates little that dies young, and each semi-space is memory the run holds at its peak.
    this.worker = new Worker(new URL('./warehouse-worker.js', import.meta.url), { workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    this.worker.on('message', (reply: WarehouseReply) => this.answer(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the warehouse thread ended (exit code ${code})`), this.closing !== undefined));
    this.opened = this.wait(0).then(() => undefined);
    this.opened.catch((error: Error) => (this.failure ??= error));
  }

  /** Stream Analytics appended `bytes` to a blob: stage them (ChunkedMemoryStore's append listener). */
  append(container: string, name: string, bytes: Uint8Array): void {
    // A view into a larger buffer would be posted whole: copy just its bytes.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    this.post({ op: 'append', id: 0, blob: `${container}/${name}`, bytes: own });
  }

  /** Starts the ETL over what was appended so far; the profiles come back when the thread has run it. */
  buildProfiles(slice: SliceWindow): Promise<ProfileRow[]> {
    return this.request({ op: 'etl', id: 0 }).then(
      (reply) => this.etlDone(slice, reply.etl!),
      (error: Error & { skips?: WarehouseReply['skips'] }) => {
        if (error.skips) this.addSkips(error.skips.skipped, error.skips.skippedCount);
        throw error;
      },
    );
  }

  async labels(slice: SliceWindow): Promise<ReadonlyMap<number, number>> {
    if (this.failure) throw this.failure;
    return this.truth.get(slice.index) ?? new Map();
  }

  /**
   * Posts the write and returns: the simulation does not wait for SQLite (a failure surfaces at the next
   * request). Rows whose features are, row for row, the profiles an ETL output handed out (as scoring
   * writes them; profiles are not changed in between) go as their scores only — the thread still has
   * the profiles; any other rows go whole.
   */
  async writeEnrichedProfiles(rows: readonly EnrichedProfileRow[]): Promise<void> {
    if (this.failure) throw this.failure;
    const output = this.outputOf(rows);
    // The thread lets an output's rows go once their scores are written: a second write goes whole.
    if (output !== undefined) this.handedOut.delete(output);
    const request: WarehouseRequest =
      output === undefined
        ? { op: 'write', id: 0, values: enrichedValues(rows) }
        : { op: 'scores', id: 0, output, ...scoresOf(rows) };
    this.request(request).catch((error: Error) => (this.failure ??= error));
  }

  /** The ETL output whose profiles `rows` carry, in order, if there is one. */
  private outputOf(rows: readonly EnrichedProfileRow[]): number | undefined {
    for (const [id, profiles] of this.handedOut) {
      if (profiles.length !== rows.length) continue;
      let same = true;
      for (let i = 0; same && i < rows.length; i++) same = rows[i].features === profiles[i] && rows[i].customerID === Number(profiles[i].customerID);
      if (same) return id;
    }
    return undefined;
  }

  /** Waits for every posted write and closes the warehouse (its file complete); the thread then ends on its own. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.request({ op: 'close', id: 0 });
      } finally {
        // Closed (or failed): nothing is left to wait for; the thread's teardown must not hold the run.
        this.worker.unref();
        void this.worker.terminate();
      }
      if (this.failure) throw this.failure;
    })();
    return this.closing;
  }

  private etlDone(slice: SliceWindow, out: EtlOutput): ProfileRow[] {
    this.addSkips(out.skipped, out.skippedCount);
    this.browsingRowsLoaded += out.rowsLoaded;
    const rows = new Array<ProfileRow>(out.values.length);
    const labels = new Map<number, number>();
    for (let i = 0; i < out.values.length; i++) {
      const values = out.values[i];
      rows[i] = profileFromValues(values);
      labels.set(Number(values[0]), out.labels[i]);
    }
    this.truth.set(slice.index, labels);
    this.handedOut.set(out.id, rows);
    for (const id of this.handedOut.keys()) if (this.handedOut.size > OUTPUTS_REMEMBERED) this.handedOut.delete(id);
    return rows;
  }

  private addSkips(examples: readonly SkippedRecord[], count: number): void {
    for (const e of examples) this.skips.add(e);
    // Beyond the examples the thread kept, only the count came over.
    this.skips.count += count - examples.length;
  }

  private post(request: WarehouseRequest): void {
    this.worker.postMessage(request);
  }

  private request(request: WarehouseRequest): Promise<WarehouseReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    this.post({ ...request, id });
    return this.wait(id);
  }

  private wait(id: number): Promise<WarehouseReply> {
    // The thread keeps the process alive only while an answer is awaited.
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise<WarehouseReply>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  private answer(reply: WarehouseReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0 && !this.closing) this.worker.unref();
    if (reply.error) waiting.reject(Object.assign(revive(reply.error), reply.skips ? { skips: reply.skips } : {}));
    else waiting.resolve(reply);
  }

  /** The thread failed or ended: every answer still awaited fails (and later requests, unless it was closed). */
  private fail(error: Error, closed = false): void {
    if (!closed) this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
