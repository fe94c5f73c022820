// The local target's chunked Blob store: same contract as the Blob service's memory store, appends
// that do not copy, and tail reads from an offset.
import { describe, expect, it } from 'vitest';
import { ChunkedMemoryStore } from '../../engine/targets/local/chunked-store.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('ChunkedMemoryStore', () => {
  it('appends, lists sizes, reads whole blobs and tails from any offset', async () => {
    const s = new ChunkedMemoryStore();
    await s.append('customer360', '2017/03/08/06/a.csv', 'h\r\n');
    await s.append('customer360', '2017/03/08/06/a.csv', 'row1\r\n');
    await s.append('customer360', '2017/03/08/06/a.csv', new TextEncoder().encode('row2\r\n'));
    await s.put('customer360', 'b.csv', 'x');
    expect(await s.list('customer360')).toEqual([
      { name: '2017/03/08/06/a.csv', size: 15 },
      { name: 'b.csv', size: 1 },
    ]);
    expect(await s.list('customer360', '2017/')).toHaveLength(1);
    expect(text(await s.get('customer360', '2017/03/08/06/a.csv'))).toBe('h\r\nrow1\r\nrow2\r\n');
    for (let off = 0; off <= 15; off++) expect(text(await s.getFrom('customer360', '2017/03/08/06/a.csv', off))).toBe('h\r\nrow1\r\nrow2\r\n'.slice(off));
    await s.append('customer360', '2017/03/08/06/a.csv', 'row3\r\n');
    expect(text(await s.getFrom('customer360', '2017/03/08/06/a.csv', 15))).toBe('row3\r\n');
    await s.put('customer360', 'b.csv', 'yz');
    expect(text(await s.get('customer360', 'b.csv'))).toBe('yz');
    expect(await s.list('other')).toEqual([]);
  });

  it('rejects bad names and missing blobs as the Blob service does', async () => {
    const s = new ChunkedMemoryStore();
    await expect(s.append('Bad_Container', 'a', 'x')).rejects.toThrow(/invalid container name/);
    await expect(s.put('customer360', '../etc', 'x')).rejects.toThrow(/"\.\." segments/);
    await expect(s.get('customer360', 'nope.csv')).rejects.toThrow(/blob not found/);
  });
});
