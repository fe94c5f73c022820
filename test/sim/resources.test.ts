import { describe, it, expect } from 'vitest';
import { SimKernel, VirtualClock, Resource, Store } from '../../engine/sim/index.js';

const T0 = Date.UTC(2017, 2, 8, 6);

describe('Resource', () => {
  it('grants slots first come, first served and queues the rest', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    const pumps = new Resource(2);
    const log: string[] = [];
    for (const [name, arrive, service] of [['a', 0, 5], ['b', 1, 5], ['c', 2, 5], ['d', 3, 1]] as const) {
      k.process(name, async () => {
        await clock.sleep(arrive * 1000);
        await pumps.use(async () => {
          log.push(`${name} starts ${(clock.now() - T0) / 1000}`);
          await clock.sleep(service * 1000);
        });
      });
    }
    await k.run();
    expect(log).toEqual(['a starts 0', 'b starts 1', 'c starts 5', 'd starts 6']);
    expect(pumps.used).toBe(0);
  });

  it('refuses a double release and a zero capacity', async () => {
    const r = new Resource(1);
    const release = await r.acquire();
    release();
    expect(() => release()).toThrow(/twice/);
    expect(() => new Resource(0)).toThrow(RangeError);
  });
});

describe('Store', () => {
  it('hands items from producers to consumers in order, blocking on empty and full', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    const buffer = new Store<number>(2);
    const log: string[] = [];
    k.process('producer', async () => {
      for (let i = 1; i <= 4; i++) {
        await buffer.put(i);
        log.push(`put ${i} at ${(clock.now() - T0) / 1000}`);
      }
    });
    k.process('consumer', async () => {
      for (let i = 0; i < 4; i++) {
        await clock.sleep(10_000);
        const item = await buffer.get();
        log.push(`got ${item} at ${(clock.now() - T0) / 1000}`);
      }
    });
    await k.run();
    // The blocked producer is released by the get at the same instant (its wake-up was queued first).
    expect(log).toEqual(['put 1 at 0', 'put 2 at 0', 'put 3 at 10', 'got 1 at 10', 'put 4 at 20', 'got 2 at 20', 'got 3 at 30', 'got 4 at 40']);
  });

  it('a waiting consumer gets the next item the moment it is put', async () => {
    const k = new SimKernel({ start: T0 });
    const clock = new VirtualClock(k);
    const s = new Store<string>();
    let got = '';
    k.process('consumer', async () => {
      got = `${await s.get()} at ${(clock.now() - T0) / 1000}`;
    });
    k.process('producer', async () => {
      await clock.sleep(7000);
      await s.put('x');
    });
    await k.run();
    expect(got).toBe('x at 7');
    expect(s.tryGet()).toBeUndefined();
  });
});
