// Generates sessions' first blocks on a second core while the run goes on. A generator block — one
// session of up to 6,000 customers × 67 days: 1.2 M seeded normal draws and a shuffle — costs ≈ 0.14 s,
// a quarter of seed-demo's generator time each, and sessions start at fixed scenario times, so their
// blocks can be made before the sender needs them. The output is unchanged: the worker runs the same
// `sessionBlocks` with the same seeds; only where the work happens moves.
//
// The sender's event iterator is synchronous (the kernel steps it inline), so taking a block must be
// too: the worker posts each block on a MessagePort and bumps a shared counter; the main thread reads
// the port with receiveMessageOnPort and, if the block is not there yet, sleeps on the counter with
// Atomics.wait. Only the first block of each session is prefetched (all of it for sessions of up to
// 6,000 customers); later blocks of larger sessions are made in-thread as before, which bounds memory.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { MODULE_EXTENSION } from '../../io/install-root.js';
import type { DatagenConfig, SessionBlock } from '../../datagen/index.js';

interface BlockMessage {
  session: number;
  firstId: number;
  days: number;
  values: Int32Array;
  picks: ArrayBuffer;
  take: number;
}

/** How long the main thread waits for a block before it gives up on the worker (it takes ≈ 0.15 s). */
const WORKER_TIMEOUT_MS = 120_000;
/** Sessions prefetched at most: each held block is ≈ 5.6 MB until its sender starts. */
export const MAX_PREFETCHED_SESSIONS = 16;

export class SessionPrefetch {
  private readonly port: MessagePort;
  /** [0]: blocks the worker has posted so far (another thread may wait on it: the first block comes first). */
  readonly delivered = new Int32Array(new SharedArrayBuffer(4));
  private readonly ready = new Map<number, SessionBlock>();
  private readonly pending: Set<number>;
  private readonly worker: Worker;

  constructor(config: DatagenConfig, sessions: number[]) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.pending = new Set(sessions);
    this.worker = new Worker(new URL('./session-block-worker.js', import.meta.url), {
      workerData: { config, sessions, port: port2, signal: this.delivered, fromSource: MODULE_EXTENSION === '.ts' },
      transferList: [port2],
    });
    this.worker.unref(); // a run that ends early must not wait for blocks nobody will read
    this.worker.on('error', () => {}); // reported through the port (or as a timeout) when a block is taken
  }

  /** Whether this prefetch makes `session`'s first block. */
  covers(session: number): boolean {
    return this.pending.has(session) || this.ready.has(session);
  }

  /** The first block of `session`, waiting for the worker if it is not made yet. */
  take(session: number): SessionBlock {
    const deadline = performance.now() + WORKER_TIMEOUT_MS;
    while (!this.ready.has(session)) {
      const seen = Atomics.load(this.delivered, 0);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        this.accept(received.message as BlockMessage | { error: string });
        continue;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`the generator worker did not deliver session ${session} within ${WORKER_TIMEOUT_MS / 1000} s`);
      Atomics.wait(this.delivered, 0, seen, left);
    }
    const block = this.ready.get(session)!;
    this.ready.delete(session);
    this.pending.delete(session);
    if (this.pending.size === 0) this.close();
    return block;
  }

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }

  private accept(message: BlockMessage | { error: string }): void {
    if ('error' in message) throw new Error(`the generator worker failed: ${message.error}`);
    const { session, firstId, days, values, picks, take } = message;
    this.ready.set(session, { firstId, days, values, picks: new Uint32Array(picks, 0, take) });
  }
}
