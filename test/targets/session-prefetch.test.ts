// The generator's worker thread (engine/targets/local/session-prefetch.ts) must change where sessions are
// made, never what they contain.
import { describe, expect, it } from 'vitest';
import { browsingMessages, datagenConfig, type DatagenConfig } from '../../engine/datagen/index.js';
import { GeneratedSessions } from '../../engine/targets/local/generator.js';
import { SessionPrefetch } from '../../engine/targets/local/session-prefetch.js';

function bodies(events: Iterable<{ body: string; bytes?: number; customerId: number }>): string[] {
  const out: string[] = [];
  for (const e of events) {
    expect(e.bytes).toBe(Buffer.byteLength(e.body));
    out.push(`${e.customerId}|${e.body}`);
  }
  return out;
}

function inThread(config: DatagenConfig, session: number): string[] {
  return bodies(browsingMessages(config, session));
}

describe('prefetched generator sessions', () => {
  it('gives byte-identical sessions, in any order of use, single- and multi-block', () => {
    for (const config of [datagenConfig({ customers: 300, seed: 11 }), datagenConfig({ customers: 250, seed: 5, shuffleBlockCustomers: 100 })]) {
      const sessions = new GeneratedSessions(config, 3);
      try {
        // Session 2 first: blocks arrive in session order, the reader must still get the right one.
        for (const s of [2, 0, 1, 3]) expect(bodies(sessions.session(s))).toEqual(inThread(config, s));
      } finally {
        sessions.close();
      }
    }
  });

  it('reports a failure in the worker instead of waiting for it', () => {
    // A configuration datagenConfig() would refuse: the worker's generator has no block to make.
    const broken = { ...datagenConfig({ customers: 10 }), customers: 0 };
    const prefetch = new SessionPrefetch(broken, [0]);
    try {
      expect(() => prefetch.take(0)).toThrow(/generator worker failed: .*session 0 has no events/);
    } finally {
      prefetch.close();
    }
  });
});
