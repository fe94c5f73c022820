// Blob output through the ObjectStore port: path patterns, batching by rows and by time, JSON lines.
import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../engine/services/blob/memory-store.js';
import { StreamAnalyticsJob, defaultJobDefinition, type BlobOutputDefinition } from '../../engine/services/stream-analytics/index.js';
import { compilePathPattern, renderTimeSpec } from '../../engine/services/stream-analytics/runtime/outputs.js';
import { Row } from '../../engine/services/stream-analytics/runtime/row.js';
import { formatDateTime } from '../../engine/services/stream-analytics/runtime/values.js';
import { BASE } from './helpers.js';

class CountingStore extends MemoryObjectStore {
  appends: { name: string; text: string }[] = [];
  override async append(container: string, name: string, data: Uint8Array | string): Promise<void> {
    this.appends.push({ name, text: typeof data === 'string' ? data : new TextDecoder().decode(data) });
    return super.append(container, name, data);
  }
}

function blobJob(query: string, out: Partial<BlobOutputDefinition>, store: CountingStore) {
  const def: BlobOutputDefinition = {
    kind: 'blob', container: 'out', pathPattern: '{date}/{time}', dateFormat: 'yyyy/MM/dd', timeFormat: 'HH',
    format: 'Csv', delimiter: ',', minRows: 2000, maxWaitSeconds: 60, ...out,
  };
  return new StreamAnalyticsJob(defaultJobDefinition(query, { compatibilityLevel: '1.2', inputs: { input: { kind: 'stream' } }, outputs: { o: def } }), { store });
}

const push = (j: StreamAnalyticsJob, sec: number, body: Record<string, unknown>, partitionId = 0) =>
  j.push('input', { partitionId, enqueuedTime: BASE + sec * 1000, body });

describe('Blob output', () => {
  it('flushes a batch at minRows and when the batch is older than maxWait', async () => {
    const store = new CountingStore();
    const j = blobJob('SELECT id INTO o FROM input', { minRows: 2, maxWaitSeconds: 30 }, store);
    push(j, 1, { id: 1 });
    await j.drain();
    expect(store.appends).toHaveLength(0);
    push(j, 2, { id: 2 }); // 2 rows ⇒ flush
    push(j, 3, { id: 3 });
    j.advanceTo(BASE + 20_000);
    await j.drain();
    expect(store.appends).toHaveLength(1);
    j.advanceTo(BASE + 33_000); // batch started at 3 s ⇒ 30 s later it is written
    await j.drain();
    expect(store.appends).toHaveLength(2);
    j.end();
    await j.drain();
    expect(store.appends.map((a) => a.text)).toEqual(['id\r\n1\r\n2\r\n', '3\r\n']);
  });

  it('starts a new blob when the {date}/{time} bucket changes; quotes CSV fields; supports {datetime:…} and a custom {field}', async () => {
    const store = new CountingStore();
    const j = blobJob('SELECT name, v INTO o FROM input', { pathPattern: 'logs/{name}/{datetime:yyyy}/{datetime:HH}', delimiter: ';' }, store);
    push(j, 0, { name: 'a', v: 'x;y' });
    push(j, 3600, { name: 'a', v: 'say "hi"' });
    j.end();
    await j.drain();
    const names = (await store.list('out')).map((b) => b.name.replace(/\/[^/]+$/, ''));
    expect(names).toEqual(['logs/a/2024/12', 'logs/a/2024/13']);
    expect(store.appends.map((a) => a.text)).toEqual(['name;v\r\na;"x;y"\r\n', 'name;v\r\na;"say ""hi"""\r\n']);
  });

  it('a compiled path pattern renders each row as the uncached spec does, across second, hour and day changes', () => {
    const def: BlobOutputDefinition = {
      kind: 'blob', container: 'out', pathPattern: '/x/{date}/{time}/{datetime:ss}/{partition}/{name}', dateFormat: 'yyyy/MM/dd', timeFormat: 'HH',
      format: 'Csv', delimiter: ',', minRows: 1, maxWaitSeconds: 1,
    };
    const path = compilePathPattern(def);
    const plain = compilePathPattern({ ...def, pathPattern: '{date}/{time}' });
    const start = Date.UTC(2017, 2, 8, 23, 59, 58) * 1000;
    // Times go forwards, back and forwards again (late rows), in sub-second steps over a midnight.
    const times = [0, 400_000, 999_999, 1_000_000, 2_500_000, 1_200_000, 3_000_001, 86_400_000_000].map((d) => start + d);
    times.forEach((us, i) => {
      const row = new Row({ name: `n${i % 2}` }, us, i % 3, true, null);
      const expected = `x/${renderTimeSpec('yyyy/MM/dd', us)}/${renderTimeSpec('HH', us)}/${renderTimeSpec('ss', us)}/${i % 3}/n${i % 2}`;
      expect(path(row, us)).toBe(expected);
      expect(plain(row, us)).toBe(`${renderTimeSpec('yyyy/MM/dd', us)}/${renderTimeSpec('HH', us)}`);
    });
    expect(plain(new Row({}, 0, 0, true, null), start + 2_000_000)).toBe('2017/03/09/00');
  });

  it('formats datetimes the same from its cache as fresh, past the cache bound', () => {
    const base = Date.UTC(2017, 2, 8, 6) * 1000;
    // 10,000 distinct instants (more than the cache holds), each asked for twice, some with microseconds.
    const times = Array.from({ length: 10_000 }, (_, i) => base + i * 1_000_017);
    const expected = (us: number) => `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}0Z`;
    for (const us of [...times, ...times.reverse()]) expect(formatDateTime(us)).toBe(expected(us));
    expect(formatDateTime(base + 1)).toBe('2017-03-08T06:00:00.0000010Z');
  });

  it('writes JSON lines with formatted datetimes, and {partition}', async () => {
    const store = new CountingStore();
    const j = blobJob('SELECT id, System.Timestamp() AS t INTO o FROM input', { format: 'Json', pathPattern: 'p{partition}' }, store);
    push(j, 1, { id: 1 }, 1);
    j.end();
    await j.drain();
    const [blob] = await store.list('out');
    expect(blob.name).toMatch(/^p1\/\d+_[0-9a-f-]+_1\.json$/);
    expect(store.appends[0].text).toBe('{"id":1,"t":"2024-01-01T12:00:01.0000000Z"}\n');
  });

  it('refuses two custom fields and bad {datetime:…} specifiers', () => {
    expect(() => blobJob('SELECT a INTO o FROM input', { pathPattern: '{a}/{b}' }, new CountingStore())).toThrow(/only one custom \{field\}/);
    expect(() => blobJob('SELECT a INTO o FROM input', { pathPattern: '{datetime:yyyyMM}' }, new CountingStore())).toThrow(/one specifier/);
  });
});

describe('SU % metric', () => {
  it('grows with the open groups of a windowed aggregate and falls when the window is emitted', () => {
    const j = new StreamAnalyticsJob(defaultJobDefinition('SELECT k, COUNT(*) AS n FROM input GROUP BY k, TumblingWindow(minute, 1)', { inputs: { input: { kind: 'stream' } } }));
    const before = j.metrics().ResourceUtilization;
    for (let i = 0; i < 50_000; i++) j.push('input', { partitionId: 0, enqueuedTime: BASE + 1000 + i, body: { k: i } });
    const during = j.metrics().ResourceUtilization;
    j.advanceTo(BASE + 120_000);
    const after = j.metrics().ResourceUtilization;
    expect(before).toBeCloseTo(15, 0);
    expect(during - after).toBeCloseTo(((50_000 * 256) / 1024 ** 3) * 100, 6);
  });
});
