// Live state shared by every page: the job list (kept current by engine events) and the metric points
// of each run as they arrive. A tiny external store bridged to React with useSyncExternalStore, so the
// charts re-render only on new data, and switching pages mid-run loses nothing.
import { useSyncExternalStore } from 'react';
import type { EngineEvent, MetricPointDto, RunSummaryDto } from '@contract/contract';
import type { C360Client } from '../client';

export interface LiveJob {
  summary: RunSummaryDto;
  message: string;
  points: MetricPointDto[];
  grainSeconds: number;
}

export interface LiveSnapshot {
  jobs: RunSummaryDto[];
  live: Record<string, LiveJob>;
  version: number;
}

/** Live updates reach React at most this often. */
export const RENDER_INTERVAL_MS = 250;

export class LiveStore {
  private snapshot: LiveSnapshot = { jobs: [], live: {}, version: 0 };
  private renderPending = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly client: C360Client) {
    client.subscribe((e) => this.apply(e));
    void this.refresh();
    // A safety net for events missed while the event stream reconnected: while anything runs, re-read
    // the job list now and then.
    setInterval(() => {
      if (this.snapshot.jobs.some((j) => j.status === 'running' || j.status === 'queued')) void this.refresh();
    }, 5000);
  }

  /** The live entry of a job, created on demand for jobs that started before this page loaded. */
  private entry(live: Record<string, LiveJob>, jobId: string): LiveJob | undefined {
    if (live[jobId]) return live[jobId];
    const summary = this.snapshot.jobs.find((j) => j.id === jobId);
    return summary ? { summary, message: '', points: [], grainSeconds: 60 } : undefined;
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.snapshot;

  async refresh(): Promise<void> {
    const jobs = await this.client.call('listRuns', { limit: 200 });
    this.set({ ...this.snapshot, jobs });
  }

  private set(next: Omit<LiveSnapshot, 'version'>): void {
    this.snapshot = { ...next, version: this.snapshot.version + 1 };
    if (this.renderPending) return;
    // Coalesce: a run sends progress and metrics dozens of times a second, and re-rendering the charts for
    // each message kept the page's main thread busy for tens of seconds on a loaded 2-core machine (clicks
    // and screenshots timed out). Components read the latest snapshot at most every RENDER_INTERVAL_MS.
    this.renderPending = true;
    setTimeout(() => {
      this.renderPending = false;
      for (const l of this.listeners) l();
    }, RENDER_INTERVAL_MS);
  }

  private apply(e: EngineEvent): void {
    const live = { ...this.snapshot.live };
    let jobs = this.snapshot.jobs;
    if (e.type === 'job') {
      const i = jobs.findIndex((j) => j.id === e.job.id);
      jobs = i >= 0 ? jobs.map((j) => (j.id === e.job.id ? e.job : j)) : [e.job, ...jobs];
      const prev = live[e.job.id];
      live[e.job.id] = { summary: e.job, message: prev?.message ?? '', points: prev?.points ?? [], grainSeconds: prev?.grainSeconds ?? 60 };
    } else if (e.type === 'progress') {
      const prev = this.entry(live, e.jobId);
      if (prev) live[e.jobId] = { ...prev, message: e.message, summary: { ...prev.summary, progress: e.progress } };
      jobs = jobs.map((j) => (j.id === e.jobId ? { ...j, progress: e.progress } : j));
    } else if (e.type === 'metrics') {
      const prev = this.entry(live, e.jobId);
      if (prev) {
        const byT = new Map(prev.points.map((p) => [p.t, p]));
        for (const p of e.points) byT.set(p.t, p);
        live[e.jobId] = { ...prev, grainSeconds: e.grainSeconds, points: [...byT.values()].sort((a, b) => a.t - b.t) };
      }
    }
    this.set({ jobs, live });
  }
}

export function useLive(store: LiveStore): LiveSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
