// The data generator behind the loop's ports: browsing sessions as the original WebJob sent them
// (the warehouse's reference tables, from the same seed, are in reference.ts).
import type { EventSource, SessionEvent } from '../../ports/pipeline.js';
import { DAY_MS, browsingMessages, datagenConfig, type DatagenConfig } from '../../datagen/index.js';
import { MAX_PREFETCHED_SESSIONS, SessionPrefetch } from './session-prefetch.js';

export function generatorConfig(g: { customers: number; historyDays: number; historyStart: string; sampleFraction: number }, seed: number): DatagenConfig {
  const start = Date.parse(g.historyStart);
  return datagenConfig({ customers: g.customers, seed, start, asOf: start + (g.historyDays - 1) * DAY_MS, sampleFraction: g.sampleFraction });
}

/** Prefetches started ahead of their run (warmUpSessions), by generator config and session count. */
const warmedUp = new Map<string, SessionPrefetch>();

const prefetchKey = (config: DatagenConfig, prefetchSessions: number) => JSON.stringify([config, prefetchSessions]);

/** A worker making the first blocks of sessions 0 … prefetchSessions − 1 (at most MAX_PREFETCHED_SESSIONS), if any. */
function startPrefetch(config: DatagenConfig, prefetchSessions: number): SessionPrefetch | undefined {
  const sessions = Array.from({ length: Math.min(prefetchSessions, MAX_PREFETCHED_SESSIONS) }, (_, i) => i);
  return sessions.length > 0 ? new SessionPrefetch(config, sessions) : undefined;
}

/**
 * Starts making the first sessions' blocks for a run that is about to be set up: the CLI calls this as
 * soon as the scenario is read, so the worker starts while the rest of the engine loads (≈ 0.15 s of
 * seed-demo's start). The run's GeneratedSessions with the same config and sessions takes it over.
 */
export function warmUpSessions(config: DatagenConfig, prefetchSessions: number): void {
  const key = prefetchKey(config, prefetchSessions);
  if (warmedUp.has(key)) return;
  const prefetch = startPrefetch(config, prefetchSessions);
  if (prefetch) warmedUp.set(key, prefetch);
}

export class GeneratedSessions implements EventSource {
  private readonly prefetch: SessionPrefetch | undefined;

  /** With `prefetchSessions`, those sessions' first blocks are made ahead on a worker thread (session-prefetch.ts). */
  constructor(
    private readonly config: DatagenConfig,
    prefetchSessions = 0,
  ) {
    const key = prefetchKey(config, prefetchSessions);
    this.prefetch = warmedUp.get(key) ?? startPrefetch(config, prefetchSessions);
    warmedUp.delete(key);
  }

  session(index: number): Iterable<SessionEvent> {
    const prefetch = this.prefetch;
    return prefetch?.covers(index) ? browsingMessages(this.config, index, () => prefetch.take(index)) : browsingMessages(this.config, index);
  }

  /**
   * Counts the prefetched blocks made so far ([0]; none when nothing is prefetched). Work that can wait
   * holds off until the first one is there: the run's first event needs it.
   */
  get blocksDelivered(): Int32Array | undefined {
    return this.prefetch?.delivered;
  }

  close(): void {
    this.prefetch?.close();
  }
}
