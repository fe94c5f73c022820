import { describe, expect, it } from 'vitest';
import { Random } from '../../engine/core/random.js';
import { emptyConfusion, scoringQuality } from '../../engine/pipeline/accuracy.js';
import { ReconciliationLedger } from '../../engine/pipeline/reconciliation.js';
import { maxAttempts, retryDelayMs, SDK_DEFAULT_RETRY } from '../../engine/pipeline/retry-policy.js';
import { SecondSeries } from '../../engine/pipeline/second-series.js';
import { utf8Length } from '../../engine/core/utf8.js';

const T0 = Date.UTC(2026, 0, 1);

describe('SecondSeries', () => {
  it('rolls seconds up to minutes: counters add, gauges keep the worst second', () => {
    const s = new SecondSeries(T0);
    s.add('AcceptedEvents', T0 + 500, 10);
    s.add('AcceptedEvents', T0 + 59_999, 5);
    s.add('AcceptedEvents', T0 + 60_000, 7);
    s.gauge('BackloggedInputEvents', T0 + 1_000, 30);
    s.gauge('BackloggedInputEvents', T0 + 1_400, 20);
    s.gauge('BackloggedInputEvents', T0 + 2_000, 50);
    s.gauge('BackloggedInputEvents', T0 + 61_000, 4);
    const seconds = s.rows(1);
    expect(seconds).toHaveLength(62);
    expect(seconds[1].values.BackloggedInputEvents).toBe(30);
    const minutes = s.rows(60);
    expect(minutes.map((r) => r.time)).toEqual([T0, T0 + 60_000]);
    expect(minutes.map((r) => r.values.AcceptedEvents)).toEqual([15, 7]);
    expect(minutes.map((r) => r.values.BackloggedInputEvents)).toEqual([50, 4]);
    expect(s.total('AcceptedEvents')).toBe(22);
    expect(s.peak('BackloggedInputEvents')).toBe(50);
  });

  it('refuses time before the run and extends to the end of the run', () => {
    const s = new SecondSeries(T0);
    expect(() => s.add('AcceptedEvents', T0 - 1, 1)).toThrow(RangeError);
    s.extendTo(T0 + 3_600_000);
    expect(s.seconds).toBe(3600);
    expect(s.rows(60)).toHaveLength(60);
  });
});

describe('ReconciliationLedger', () => {
  it('computes unaccounted from the totals, so a miscount shows', () => {
    const l = new ReconciliationLedger();
    l.sent(100);
    l.accepted(60);
    l.throttled(20);
    l.dropped(5, 'oversize');
    expect(l.close(15)).toEqual({ sent: 100, accepted: 60, throttled: 20, dropped: 5, droppedByReason: { oversize: 5 }, inFlight: 15, unaccounted: 0 });
    // Forgetting the in-flight events, or counting an event twice, is visible.
    expect(l.close(0).unaccounted).toBe(15);
    l.accepted(20);
    expect(l.close(15).unaccounted).toBe(-20);
  });

  it('moves events that expired in the hub from accepted to dropped', () => {
    const l = new ReconciliationLedger();
    l.sent(10);
    l.accepted(10);
    l.expiredAfterAcceptance(4);
    const r = l.close(0);
    expect(r.accepted).toBe(6);
    expect(r.droppedByReason).toEqual({ 'retention-expired': 4 });
    expect(r.unaccounted).toBe(0);
  });
});

describe('retry policy', () => {
  it('sdk-default is @azure/core-amqp: 3 retries, fixed 30 s', () => {
    expect(maxAttempts(SDK_DEFAULT_RETRY)).toBe(4);
    expect(maxAttempts({ kind: 'none' })).toBe(1);
    const r = new Random(1);
    expect([1, 2, 3].map((a) => retryDelayMs(SDK_DEFAULT_RETRY, a, r))).toEqual([30_000, 30_000, 30_000]);
  });

  it('exponential mode doubles with jitter in [0.8, 1.2) and caps at the maximum', () => {
    const policy = { ...SDK_DEFAULT_RETRY, kind: 'custom' as const, mode: 'exponential' as const, retryDelayMs: 1000, maxRetryDelayMs: 5000 };
    const r = new Random(3);
    for (let i = 0; i < 50; i++) {
      const d1 = retryDelayMs(policy, 1, r);
      expect(d1).toBeGreaterThanOrEqual(800);
      expect(d1).toBeLessThan(1200);
      const d2 = retryDelayMs(policy, 2, r);
      expect(d2).toBeGreaterThanOrEqual(2400);
      expect(d2).toBeLessThan(3600);
      expect(retryDelayMs(policy, 5, r)).toBe(5000);
    }
  });
});

describe('scoring quality', () => {
  it('accuracy and macro-F1 on a hand-computed confusion matrix', () => {
    // actual 0: 8 predicted 0, 2 predicted 1; actual 1: 1 predicted 0, 4 predicted 1; actual 2: 5 predicted 0.
    const c = emptyConfusion();
    c[0][0] = 8;
    c[0][1] = 2;
    c[1][0] = 1;
    c[1][1] = 4;
    c[2][0] = 5;
    const q = scoringQuality(c, 20);
    expect(q.accuracy).toBeCloseTo(12 / 20, 12);
    // F1(0): p = 8/14, r = 8/10 → 2·p·r/(p+r) = 16/24; F1(1): p = 4/6, r = 4/5 → 8/11; F1(2) = 0; class 3 absent.
    expect(q.macroF1).toBeCloseTo((16 / 24 + 8 / 11 + 0) / 3, 12);
    expect(q.compared).toBe(20);
  });
});

describe('utf8Length', () => {
  it('matches TextEncoder on ASCII, accents, CJK and emoji', () => {
    for (const text of ['', '{"customerid":1}', 'café', '顧客', '😀 ok', 'a\u{10FFFF}b', '\uD800 lone'])
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });
});
