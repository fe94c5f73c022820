// Where `c360 etl` takes its reference tables from.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseReference, ORIGINAL_DATA_DIR } from '../../engine/services/warehouse/etl-command.js';
import { UserError } from '../../engine/core/errors.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'c360-ref-'));
  for (const f of ['customer.csv', 'purchase.csv', 'product.csv', 'browsing.jsonl']) writeFileSync(path.join(tmp, f), '');
  mkdirSync(path.join(tmp, 'lonely'));
  writeFileSync(path.join(tmp, 'lonely/browsing.jsonl'), '');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('chooseReference', () => {
  it('uses --reference when given, and checks it has the three files', () => {
    expect(chooseReference({ reference: tmp, browsing: 'x' }, true)).toBe(tmp);
    expect(() => chooseReference({ reference: path.join(tmp, 'lonely'), browsing: 'x' }, false)).toThrow(UserError);
  });
  it('keeps an existing warehouse’s tables', () => {
    expect(chooseReference({ browsing: path.join(tmp, 'browsing.jsonl') }, true)).toBeNull();
  });
  it('takes the browsing file’s folder for a new warehouse, else the original data', () => {
    expect(chooseReference({ browsing: path.join(tmp, 'browsing.jsonl') }, false)).toBe(tmp);
    expect(chooseReference({ browsing: path.join(tmp, 'lonely/browsing.jsonl') }, false)).toBe(ORIGINAL_DATA_DIR);
    expect(chooseReference({ browsing: tmp }, false)).toBe(ORIGINAL_DATA_DIR);
  });
});
