import { describe, it, expect } from 'vitest';
import {
  SimKernel,
  VirtualClock,
  PacedClock,
  URGENT,
  LATE,
  SchedulingInPastError,
  SimulationOverflowError,
  ProcessFailedError,
  EventQueue,
  wallClock,
  type QueueEntry,
} from '../../engine/sim/index.js';
import { Random } from '../../engine/core/random.js';

const T0 = Date.UTC(2017, 2, 8, 6, 0, 0);

describe('EventQueue', () => {
  it('pops in (time, priority, seq) order for random inserts', () => {
    const rnd = new Random(7);
    const q = new EventQueue<QueueEntry>();
    const entries: QueueEntry[] = [];
    for (let seq = 0; seq < 2000; seq++) {
      const e = { time: rnd.int(0, 50), priority: rnd.int(0, 2), seq, cancelled: false };
      entries.push(e);
      q.push(e);
    }
    const expected = [...entries].sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
    const got: QueueEntry[] = [];
    for (let e = q.pop(); e; e = q.pop()) got.push(e);
    expect(got).toEqual(expected);
  });

  it('skips cancelled entries', () => {
    const q = new EventQueue<QueueEntry>();
    const a = { time: 1, priority: 1, seq: 0, cancelled: false };
    const b = { time: 2, priority: 1, seq: 1, cancelled: false };
    q.push(a);
    q.push(b);
    a.cancelled = true;
    expect(q.pop()).toBe(b);
    expect(q.pop()).toBeUndefined();
  });
});

describe('SimKernel ordering', () => {
  it('fires by time, then priority, then scheduling order', async () => {
    const k = new SimKernel({ start: T0 });
    const log: string[] = [];
    k.schedule(T0 + 10, () => log.push('t10 normal a'));
    k.schedule(T0 + 10, () => log.push('t10 late'), { priority: LATE });
    k.schedule(T0 + 10, () => log.push('t10 normal b'));
    k.schedule(T0 + 10, () => log.push('t10 urgent'), { priority: URGENT });
    k.schedule(T0 + 5, () => log.push('t5'));
    const result = await k.run();
    expect(log).toEqual(['t5', 't10 urgent', 't10 normal a', 't10 normal b', 't10 late']);
    expect(result).toMatchObject({ now: T0 + 10, events: 5, stoppedBy: 'empty' });
  });

  it('runs until a time and sets now to it, leaving later entries pending', async () => {
    const k = new SimKernel({ start: T0 });
    const log: number[] = [];
    for (const d of [1000, 2000, 3000]) k.schedule(T0 + d, () => log.push(d));
    const r = await k.run({ until: T0 + 2500 });
    expect(log).toEqual([1000, 2000]);
    expect(r.now).toBe(T0 + 2500);
    expect(r.stoppedBy).toBe('until');
    await k.run();
    expect(log).toEqual([1000, 2000, 3000]);
  });

  it('cancelled entries never fire', async () => {
    const k = new SimKernel({ start: T0 });
    let fired = false;
    k.schedule(T0 + 1, () => (fired = true)).cancel();
    await k.run();
    expect(fired).toBe(false);
  });

  it('step() fires synchronously for pure callback models', () => {
    const k = new SimKernel({ start: 0 });
    const log: number[] = [];
    k.schedule(3, () => log.push(k.now), { settle: false });
    k.schedule(1, () => log.push(k.now), { settle: false });
    while (k.step());
    expect(log).toEqual([1, 3]);
  });
});

describe('SimKernel refuses to schedule in the past', () => {
  it('throws SchedulingInPastError naming both times', async () => {
    const k = new SimKernel({ start: T0 });
    k.schedule(T0 + 60_000, () => undefined);
    await k.run();
    expect(() => k.schedule(T0 + 1000, () => undefined, { label: 'late batch' })).toThrow(SchedulingInPastError);
    expect(() => k.schedule(T0 + 1000, () => undefined, { label: 'late batch' })).toThrow(/"late batch".*2017-03-08T06:00:01.000Z.*already at 2017-03-08T06:01:00.000Z/);
    expect(() => k.scheduleIn(-1, () => undefined)).toThrow(SchedulingInPastError);
    expect(() => k.schedule(NaN, () => undefined)).toThrow(RangeError);
    await expect(k.run({ until: T0 })).rejects.toThrow(SchedulingInPastError);
  });

  it('allows scheduling at exactly now', async () => {
    const k = new SimKernel({ start: T0 });
    let n = 0;
    k.schedule(T0, () => {
      n++;
      k.schedule(k.now, () => n++);
    });
    await k.run();
    expect(n).toBe(2);
    expect(k.now).toBe(T0);
  });

  it('the virtual clock clamps a past wake-up to now, as the Clock port promises', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    let wokeAt = 0;
    k.process('p', async () => {
      await clock.sleep(5000);
      await clock.sleepUntil(T0); // already passed
      wokeAt = clock.now();
    });
    await k.run();
    expect(wokeAt).toBe(T0 + 5000);
  });
});

describe('processes on the virtual clock', () => {
  it('interleave by virtual time, not by code order', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    const log: string[] = [];
    const ticker = (name: string, period: number, count: number) => async () => {
      for (let i = 0; i < count; i++) {
        await clock.sleep(period);
        log.push(`${(clock.now() - T0) / 1000}s ${name}`);
      }
    };
    k.process('slow', ticker('slow', 3000, 2));
    k.process('fast', ticker('fast', 2000, 3));
    await k.run();
    expect(log).toEqual(['2s fast', '3s slow', '4s fast', '6s slow', '6s fast']);
  });

  it('a one-hour run with a 1 s ticker finishes in well under a second of wall time', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    let ticks = 0;
    k.process('metrics', async () => {
      while (clock.now() < T0 + 3_600_000) {
        await clock.sleep(1000);
        ticks++;
      }
    });
    const wall0 = performance.now();
    await k.run();
    expect(ticks).toBe(3600);
    expect(k.now).toBe(T0 + 3_600_000);
    expect(performance.now() - wall0).toBeLessThan(2000);
  });

  it('a process waiting on another process sees its result at the right time', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    const producer = k.process('producer', async () => {
      await clock.sleep(1500);
      return 42;
    });
    let seen: [number, number] | undefined;
    k.process('consumer', async () => {
      const v = await producer.done;
      seen = [v, clock.now() - T0];
    });
    const r = await k.run();
    expect(seen).toEqual([42, 1500]);
    expect(r.pendingProcesses).toEqual([]);
    expect(producer.state).toBe('finished');
  });

  it('deep await chains inside a woken process complete before time advances', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    const log: string[] = [];
    const deep = async (n: number): Promise<void> => {
      if (n > 0) await deep(n - 1);
      else await Promise.resolve();
    };
    k.process('a', async () => {
      await clock.sleep(10);
      await deep(200);
      log.push(`a done at ${clock.now() - T0}`);
    });
    k.process('b', async () => {
      await clock.sleep(11);
      log.push(`b at ${clock.now() - T0}`);
    });
    await k.run();
    expect(log).toEqual(['a done at 10', 'b at 11']);
  });

  it('tracked real async work holds virtual time still', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    const log: string[] = [];
    k.process('io', async () => {
      await clock.sleep(100);
      await k.track(new Promise((resolve) => setTimeout(resolve, 30))); // real 30 ms of "I/O"
      log.push(`io done at ${clock.now() - T0}`);
    });
    k.process('other', async () => {
      await clock.sleep(101);
      log.push(`other at ${clock.now() - T0}`);
    });
    await k.run();
    expect(log).toEqual(['io done at 100', 'other at 101']);
  });

  it('a failing process stops the run with ProcessFailedError', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    let afterFailure = false;
    const p = k.process('broken', async () => {
      await clock.sleep(5000);
      throw new Error('disk full');
    });
    k.process('survivor', async () => {
      await clock.sleep(10_000);
      afterFailure = true;
    });
    await expect(k.run()).rejects.toThrow(ProcessFailedError);
    await expect(p.done).rejects.toThrow('disk full');
    expect(k.now).toBe(T0 + 5000);
    expect(afterFailure).toBe(false);
  });

  it('reports processes blocked on something other than the kernel', async () => {
    const k = new SimKernel({ start: T0 });
    k.process('stuck', () => new Promise<void>(() => undefined));
    const r = await k.run();
    expect(r.stoppedBy).toBe('empty');
    expect(r.pendingProcesses).toEqual(['stuck']);
  });

  it('maxEvents catches a process that reschedules itself without advancing time', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    k.process('spinner', async () => {
      for (;;) await clock.sleep(0);
    });
    await expect(k.run({ maxEvents: 1000 })).rejects.toThrow(SimulationOverflowError);
  });

  it('stops when the abort signal fires', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    const ctl = new AbortController();
    k.process('p', async () => {
      for (let i = 0; i < 100; i++) {
        await clock.sleep(1000);
        if (i === 9) ctl.abort();
      }
    });
    const r = await k.run({ signal: ctl.signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.now).toBe(T0 + 10_000);
  });
});

describe('determinism', () => {
  // A small random model: senders with seeded exponential think times append to a shared log.
  async function simulate(seed: number) {
    const k = new SimKernel({ start: T0, trace: true });
    const clock = new VirtualClock(k);
    const log: string[] = [];
    for (let s = 0; s < 5; s++) {
      const rnd = Random.derive(seed, 'sender', s);
      k.process(`sender-${s}`, async () => {
        for (let i = 0; i < 200; i++) {
          await clock.sleep(Math.round(rnd.exponential(250)));
          log.push(`${clock.now() - T0}:${s}:${i}`);
        }
      });
    }
    await k.run();
    return { log, trace: k.trace };
  }

  it('the same seed gives the same timeline and trace', async () => {
    const a = await simulate(123);
    const b = await simulate(123);
    expect(a.log).toEqual(b.log);
    expect(a.trace).toEqual(b.trace);
    expect(a.log).toHaveLength(1000);
  });

  it('a different seed gives a different timeline', async () => {
    const a = await simulate(123);
    const c = await simulate(124);
    expect(a.log).not.toEqual(c.log);
  });

  it('time in the trace never decreases', async () => {
    const { trace } = await simulate(9);
    for (let i = 1; i < trace!.length; i++) expect(trace![i].time).toBeGreaterThanOrEqual(trace![i - 1].time);
  });
});

describe('pacing', () => {
  it('PacedClock maps scenario time onto a base clock with a speed factor', async () => {
    const k = new SimKernel({ start: 0 });
    const base = new VirtualClock(k);
    const paced = new PacedClock({ base, speed: 60, origin: T0 });
    expect(paced.now()).toBe(T0);
    let wokeBaseAt = -1;
    k.process('p', async () => {
      await paced.sleepUntil(T0 + 3_600_000); // one scenario hour
      wokeBaseAt = base.now();
    });
    await k.run();
    expect(wokeBaseAt).toBe(60_000); // one base minute
    expect(paced.now()).toBe(T0 + 3_600_000);
    expect(() => new PacedClock({ base, speed: 0 })).toThrow(RangeError);
  });

  it('a paced kernel fires entries no earlier than their wall-clock due time', async () => {
    // Speed 200: 10 s of scenario time take 50 ms of real time.
    const k = new SimKernel({ start: T0, pacing: { wall: wallClock, speed: 200 } });
    const fired: number[] = [];
    k.schedule(T0 + 10_000, () => fired.push(wallClock.now()));
    k.schedule(T0 + 20_000, () => fired.push(wallClock.now()));
    const wall0 = wallClock.now();
    await k.run();
    expect(fired[0] - wall0).toBeGreaterThanOrEqual(48); // timers may round down by a millisecond
    expect(fired[1] - wall0).toBeGreaterThanOrEqual(98);
    expect(fired[1] - wall0).toBeLessThan(2000);
    expect(k.now).toBe(T0 + 20_000);
  });
});

describe('paced runs accept outside work', () => {
  it('an entry scheduled from outside while the kernel waits fires at the live time, before later entries', async () => {
    // Speed 100: the entry at +10 s is due 100 ms of real time after the start.
    const k = new SimKernel({ start: T0, pacing: { wall: wallClock, speed: 100 } });
    const clock = new VirtualClock(k);
    const log: string[] = [];
    k.schedule(T0 + 10_000, () => log.push(`scheduled at ${clock.now() - T0}`));
    let injectedAt = 0;
    // A "front door" request arriving on real time 30 ms in, i.e. ≈ 3 s of scenario time.
    setTimeout(() => {
      injectedAt = k.now;
      k.schedule(k.now, () => log.push('outside'));
    }, 30);
    const r = await k.run({ until: T0 + 12_000 });
    expect(log[0]).toBe('outside');
    expect(log[1]).toBe('scheduled at 10000');
    expect(injectedAt - T0).toBeGreaterThanOrEqual(2500);
    expect(injectedAt - T0).toBeLessThan(10_000);
    expect(r).toMatchObject({ now: T0 + 12_000, stoppedBy: 'until', events: 2 });
  });

  it('live time is visible while waiting, and never passes the next entry', async () => {
    const k = new SimKernel({ start: T0, pacing: { wall: wallClock, speed: 1000 } });
    const seen: number[] = [];
    k.schedule(T0 + 100_000, () => undefined); // due 100 ms of real time in
    const sampler = setInterval(() => seen.push(k.now - T0), 10);
    await k.run();
    clearInterval(sampler);
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(Math.max(...seen)).toBeLessThanOrEqual(100_000);
    expect(seen.some((t) => t > 0 && t < 100_000)).toBe(true);
  });
});
