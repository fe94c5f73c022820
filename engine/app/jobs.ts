// Starts, watches and stops jobs. Each job runs in its own worker process (engine/app/worker.ts); its
// messages are written to the store and re-emitted as contract events, so every UI window — Electron
// or browser tabs — sees the same live progress.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODULE_EXTENSION } from '../io/install-root.js';
import type { Clock } from '../ports/clock.js';
import type { EngineEvent, JobKind, RunSummaryDto } from '../../electron/common/contract.js';
import type { AppStore, JobRow } from './store.js';
import type { WorkerMessage, WorkerRequest } from './worker-protocol.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Source (worker.ts, compiled on the fly by tsx) or the prebuilt dist/ copy (worker.js): the same as this module.
const WORKER = path.join(here, `worker${MODULE_EXTENSION}`);
const WORKER_EXEC_ARGV = MODULE_EXTENSION === '.ts' ? ['--import', import.meta.resolve('tsx')] : [];

export function toSummary(job: JobRow): RunSummaryDto {
  return {
    id: job.id,
    kind: job.kind,
    scenario: job.scenario,
    status: job.status,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    progress: job.progress,
    error: job.error,
    kpis: job.kpis,
    combinations: job.combinations,
  };
}

export interface JobManagerOptions {
  store: AppStore;
  clock: Clock;
  emit: (event: EngineEvent) => void;
  /** Called in the app process when a job finished (e.g. to register a trained model). */
  onFinished?: (job: JobRow) => void | Promise<void>;
}

export class JobManager {
  private readonly running = new Map<string, { child: ChildProcess; stopping: boolean }>();
  /** Each job's message chain, so closing can wait for the last store writes. */
  private readonly settling = new Set<Promise<void>>();
  private counter = 0;

  constructor(private readonly options: JobManagerOptions) {}

  /** A readable id: kind, scenario-clock-free wall time and a counter (unique within the store). */
  newId(kind: JobKind): string {
    const stamp = new Date(this.options.clock.now()).toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    let id: string;
    do id = `${kind}-${stamp}-${++this.counter}`;
    while (this.options.store.job(id));
    return id;
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  get active(): number {
    return this.running.size;
  }

  start(kind: JobKind, scenario: string, combinations: number, request: WorkerRequest & { jobId: string }): RunSummaryDto {
    const { store } = this.options;
    store.insertJob({ id: request.jobId, kind, scenario, createdAt: this.isoNow(), combinations });
    const child = fork(WORKER, [], {
      execArgv: WORKER_EXEC_ARGV,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const entry = { child, stopping: false };
    this.running.set(request.jobId, entry);
    const id = request.jobId;
    let settled = false;
    // Messages are handled in order; a slow store write must not let 'done' overtake 'profiles'.
    let chain = Promise.resolve();
    child.on('message', (m: WorkerMessage) => {
      chain = chain.then(() => this.handle(id, m)).catch((e) => this.fail(id, String(e)));
      if (m.type === 'done' || m.type === 'failed') settled = true;
    });
    child.on('exit', (code, signal) => {
      const last = chain.then(() => {
        this.running.delete(id);
        const job = store.job(id);
        if (!job || (job.status !== 'running' && job.status !== 'queued')) return;
        if (entry.stopping) this.finish(id, 'cancelled', null);
        else if (!settled) this.finish(id, 'failed', `the job process ended unexpectedly (${signal ?? `exit code ${code}`})`);
      });
      this.settling.add(last);
      void last.finally(() => this.settling.delete(last));
    });
    child.send(request);
    store.updateJob(id, { status: 'running' });
    const summary = toSummary(store.job(id)!);
    this.options.emit({ type: 'job', job: summary });
    return summary;
  }

  /** Stops a job by ending its process: immediate, and nothing half-written reaches the store. */
  stop(id: string): boolean {
    const entry = this.running.get(id);
    if (!entry) return false;
    entry.stopping = true;
    entry.child.kill('SIGTERM');
    return true;
  }

  /** Stops every job and waits until their processes are gone and their last messages are stored. */
  async stopAll(): Promise<void> {
    const exits = [...this.running.values()].map(({ child }) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()))));
    for (const id of [...this.running.keys()]) this.stop(id);
    await Promise.all(exits);
    await Promise.all([...this.settling]);
  }

  private isoNow(): string {
    return new Date(this.options.clock.now()).toISOString();
  }

  private async handle(id: string, m: WorkerMessage): Promise<void> {
    const { store, emit } = this.options;
    switch (m.type) {
      case 'progress':
        store.updateJob(id, { progress: m.progress });
        emit({ type: 'progress', jobId: id, progress: m.progress, message: m.message });
        return;
      case 'points':
        if (m.replace) store.replacePoints(id, m.points);
        else store.addPoints(id, m.points);
        store.updateJob(id, { grainSeconds: m.grainSeconds });
        emit({ type: 'metrics', jobId: id, points: m.points, grainSeconds: m.grainSeconds });
        return;
      case 'profiles':
        store.addProfiles(id, m.rows);
        return;
      case 'matrix-row':
        store.addMatrixRow(id, m.index, m.id, m.overrides, m.kpis);
        return;
      case 'done':
        store.updateJob(id, { kpis: m.kpis, detail: m.detail, progress: 1 });
        await this.options.onFinished?.(store.job(id)!);
        this.finish(id, 'finished', null);
        return;
      case 'cancelled':
        this.finish(id, 'cancelled', null);
        return;
      case 'failed':
        this.finish(id, 'failed', m.message);
        return;
    }
  }

  private fail(id: string, message: string): void {
    this.finish(id, 'failed', message);
  }

  private finish(id: string, status: 'finished' | 'failed' | 'cancelled', error: string | null): void {
    const { store, emit } = this.options;
    store.updateJob(id, { status, error, finishedAt: this.isoNow() });
    emit({ type: 'job', job: toSummary(store.job(id)!) });
  }
}
