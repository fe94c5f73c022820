// writeDataset: the files are what the library functions say, byte for byte, and the same seed
// gives identical files while another seed does not.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  datagenConfig, writeDataset, browsingSession, formatBrowsingBody, generateCustomers, formatCustomerRow, generatePurchases, formatPurchaseRow,
} from '../../engine/datagen/index.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'c360-dg-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const read = (dir: string, f: string) => readFileSync(path.join(dir, f), 'utf8');

describe('writeDataset', () => {
  const config = datagenConfig({ customers: 600, seed: 42, shuffleBlockCustomers: 250 });

  it('writes exactly the library’s rows, sessions one after another', async () => {
    const dir = path.join(tmp, 'a');
    const r = await writeDataset(config, dir, { sessions: 2 });
    const expectedBrowsing = [0, 1].flatMap((s) => [...browsingSession(config, s)].map(formatBrowsingBody));
    expect(read(dir, 'browsing.jsonl')).toBe(expectedBrowsing.join('\n') + '\n');
    expect(r.events).toBe(expectedBrowsing.length);
    expect(r.events).toBe(2 * Math.round(600 * 67 * 0.5));
    const customers = [...generateCustomers(config)];
    expect(read(dir, 'customer.csv')).toBe(customers.map(formatCustomerRow).join('\n') + '\n');
    expect(read(dir, 'purchase.csv')).toBe([...generatePurchases(config, customers)].map(formatPurchaseRow).join('\n') + '\n');
    expect(read(dir, 'product.csv')).toBe('T1,Technology\nT2,Apparel\nT3,Cosmetics\n');
    expect(r.summary.totalEvents).toBe(r.events);
    expect(r.summary.totalCustomers).toBe(600);
  });

  it('is deterministic: same seed ⇒ identical files; another seed ⇒ different ones', async () => {
    const [a, b, c] = ['s1', 's2', 's3'].map((d) => path.join(tmp, d));
    await writeDataset(config, a);
    await writeDataset(config, b);
    await writeDataset({ ...config, seed: 43 }, c);
    for (const f of ['customer.csv', 'purchase.csv', 'browsing.jsonl']) {
      expect(read(a, f)).toBe(read(b, f));
      expect(read(a, f)).not.toBe(read(c, f));
    }
  });
});
