// The calibrated ingress (engine/targets/local/ingress.ts) on the real Event Hubs namespace model and a
// virtual clock: the burst rule, the expected-count sampling, the seeded random spread, and the
// namespace's own counters.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION } from '../../engine/targets/local/calibration.js';
import { CalibratedIngress } from '../../engine/targets/local/ingress.js';
import { defaultNamespaceConfig } from '../../engine/services/event-hubs/model/config.js';
import { EventHubsNamespace } from '../../engine/services/event-hubs/model/namespace.js';
import type { Clock } from '../../engine/ports/clock.js';

class StepClock implements Clock {
  t = Date.parse('2017-03-08T06:00:00Z');
  now() {
    return this.t;
  }
  async sleepUntil(at: number) {
    this.t = Math.max(this.t, at);
  }
}

const body = '{"userdatetime":"2017-01-01T06:00:00+00:00","customerid":1,"category_t1":703.4,"category_t2":5.0,"category_t3":12.3}';
const batch = (n: number) => Array.from({ length: n }, () => ({ body }));

/** The original session: 120 batches of 1,675 every 5 s; returns the outcomes. */
async function session(tu: number, calibration = DEFAULT_CALIBRATION, seed = 1) {
  const clock = new StepClock();
  const config = { ...defaultNamespaceConfig(), throughputUnits: tu };
  const ns = new EventHubsNamespace(config, clock);
  const ingress = new CalibratedIngress(ns, 'customer360', tu, calibration, seed);
  const statuses: string[] = [];
  for (let i = 0; i < 120; i++) {
    statuses.push((await ingress.publish(batch(1675))).status);
    clock.t += 5000;
  }
  return { statuses, ns, ingress, accepted: statuses.filter((s) => s === 'accepted').length };
}

describe('calibrated ingress', () => {
  it('admits round(Σp) of the batches with expected sampling: p = exp(−(n/rate − window)/mean)', async () => {
    const c = DEFAULT_CALIBRATION;
    for (const tu of [1, 2]) {
      const p = Math.exp(-Math.max(0, 1675 / (1000 * tu) - c.ingressWindowSeconds) / c.uploadMeanSeconds);
      const { accepted, statuses, ns, ingress } = await session(tu);
      expect(accepted).toBe(Math.round(120 * p));
      // Every prefix stays within half a batch of its expectation (no clumping).
      let got = 0;
      statuses.forEach((s, i) => {
        if (s === 'accepted') got++;
        expect(Math.abs(got - (i + 1) * p)).toBeLessThanOrEqual(0.5 + 1e-9);
      });
      // The namespace counted every request and stored exactly the admitted events.
      expect(ns.metrics.IncomingRequests).toBe(120);
      expect(ns.metrics.ThrottledRequests).toBe(120 - accepted);
      expect(ns.metrics.IncomingMessages).toBe(accepted * 1675);
      expect(ingress.accepted).toBe(accepted * 1675);
    }
  });

  it('at 4 TU every 1,675-message batch fits; a 5,000-message batch at 1 TU almost never does', async () => {
    expect((await session(4)).accepted).toBe(120);
    const clock = new StepClock();
    const ns = new EventHubsNamespace({ ...defaultNamespaceConfig(), throughputUnits: 1 }, clock);
    const ingress = new CalibratedIngress(ns, 'customer360', 1, DEFAULT_CALIBRATION, 1);
    let ok = 0;
    for (let i = 0; i < 50; i++) {
      if ((await ingress.publish(batch(5000))).status === 'accepted') ok++;
      clock.t += 60_000;
    }
    expect(ok).toBe(0);
  });

  it('back-to-back batches are limited by the TU rate (the window drains at 1,000 events/s per TU)', async () => {
    const clock = new StepClock();
    const ns = new EventHubsNamespace({ ...defaultNamespaceConfig(), throughputUnits: 1 }, clock);
    const ingress = new CalibratedIngress(ns, 'customer360', 1, DEFAULT_CALIBRATION, 1);
    let accepted = 0;
    for (let i = 0; i < 600; i++) {
      const r = await ingress.publish(batch(100));
      if (r.status === 'accepted') accepted += r.count;
      clock.t += 100; // 1,000 events/s offered for a minute
    }
    expect(accepted).toBeGreaterThan(50_000);
    expect(accepted).toBeLessThanOrEqual(60_000 + 1000);
  });

  it('random sampling is seeded and spreads from run to run like the two measured 1 TU / 1 SU runs', async () => {
    const random = { ...DEFAULT_CALIBRATION, uploadSampling: 'random' as const };
    const a = await session(1, random, 7);
    const b = await session(1, random, 7);
    expect(a.statuses).toEqual(b.statuses);
    const counts: number[] = [];
    for (let seed = 1; seed <= 20; seed++) counts.push((await session(1, random, seed)).accepted * 1675);
    const mean = counts.reduce((x, y) => x + y, 0) / counts.length;
    expect(Math.min(...counts)).toBeLessThan(mean);
    expect(Math.max(...counts) - Math.min(...counts)).toBeGreaterThan(10_000);
    // The mean sits between the guide's two measurements (44.6k and 58k).
    expect(mean).toBeGreaterThan(44_600);
    expect(mean).toBeLessThan(58_000);
  });
});
