// The ObjectStore implementations behave the same: put/append/get/list, prefixes, and name checks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore, MemoryObjectStore } from '../../engine/services/blob/index.js';
import type { ObjectStore } from '../../engine/ports/storage.js';

const stores: [string, () => ObjectStore][] = [
  ['memory', () => new MemoryObjectStore()],
  ['folder tree', () => new FsObjectStore(mkdtempSync(path.join(tmpdir(), 'blob-')))],
];

describe.each(stores)('%s store', (_name, make) => {
  it('puts, appends, gets and lists by prefix (sorted)', async () => {
    const s = make();
    await s.put('out', '2017/01/01/06/a.csv', 'h\r\n');
    await s.append('out', '2017/01/01/06/a.csv', '1\r\n');
    await s.append('out', '2017/01/01/07/b.csv', new TextEncoder().encode('x'));
    await s.put('other', 'c.csv', 'c');
    expect(new TextDecoder().decode(await s.get('out', '2017/01/01/06/a.csv'))).toBe('h\r\n1\r\n');
    expect(await s.list('out')).toEqual([
      { name: '2017/01/01/06/a.csv', size: 6 },
      { name: '2017/01/01/07/b.csv', size: 1 },
    ]);
    expect((await s.list('out', '2017/01/01/07')).map((b) => b.name)).toEqual(['2017/01/01/07/b.csv']);
    expect(await s.list('missing')).toEqual([]);
  });

  it('put replaces, get of a missing blob is a clear error', async () => {
    const s = make();
    await s.put('out', 'x', 'one');
    await s.put('out', 'x', 'two');
    expect(new TextDecoder().decode(await s.get('out', 'x'))).toBe('two');
    await expect(s.get('out', 'nope')).rejects.toThrow(/blob not found: out\/nope/);
  });

  it('refuses names that are invalid in Azure or escape the store', async () => {
    const s = make();
    await expect(s.put('Bad_Container', 'x', '')).rejects.toThrow(/invalid container name/);
    await expect(s.put('out', '../escape', '')).rejects.toThrow(/"\." or "\.\." segments/);
    await expect(s.put('out', '', '')).rejects.toThrow(/must not be empty/);
  });
});
