// The byte-level reader of Stream Analytics CSV output must read every line exactly as the text reader
// it replaces (decode the blob, split lines, convert fields with parseTimestamp / Number): the same
// rows with the same doubles, and every line it does not take handed back with its text and number.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { StreamCsvBytesParser, parseTimestamp } from '../../engine/services/warehouse/index.js';

const encoder = new TextEncoder();

/** The text reader: what WarehouseEtl did before the byte parser, with every line it would not take listed. */
function textReader(bytes: Uint8Array): { flat: number[]; other: [number, string][] } {
  const text = new TextDecoder().decode(bytes);
  const flat: number[] = [];
  const other: [number, string][] = [];
  let line = 0;
  for (let start = 0; start <= text.length; ) {
    let next = text.indexOf('\n', start);
    if (next < 0) next = text.length;
    line++;
    const end = next > start && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
    const t = text.slice(start, end);
    start = next + 1;
    if (t === '' || t.startsWith('userdatetime,')) continue;
    other.push([line, t]);
  }
  return { flat, other };
}

/** What the text reader makes of one line (the row, or null when it would not take it as a plain row). */
function textRow(t: string): number[] | null {
  const f = t.split(',');
  if (f.length !== 6 || f.slice(1, 5).some((x) => x === '')) return null;
  const ts = parseTimestamp(f[0]);
  const [id, t1, t2, t3] = f.slice(1, 5).map((x) => +x);
  if (Number.isNaN(ts) || !(id >= 1) || !Number.isInteger(id) || !Number.isFinite(t1 + t2 + t3)) return null;
  return [id, ts, t1, t2, t3];
}

/**
 * Both readers over the same bytes, lines the byte parser hands back being read with textRow: the rows
 * must be the same (Object.is, so -0 stays -0) and so must the lines neither took.
 */
function compare(bytes: Uint8Array): void {
  const expected = textReader(bytes);
  const expectedFlat: number[] = [];
  const expectedOther: [number, string][] = [];
  for (const [line, t] of expected.other) {
    const row = textRow(t);
    if (row) expectedFlat.push(...row);
    else expectedOther.push([line, t]);
  }
  const flat: number[] = [];
  const other: [number, string][] = [];
  new StreamCsvBytesParser().parse(bytes, flat, (t, line) => {
    const row = textRow(t);
    if (row) flat.push(...row);
    else other.push([line, t]);
  });
  expect(flat.length).toBe(expectedFlat.length);
  for (let i = 0; i < flat.length; i++) if (!Object.is(flat[i], expectedFlat[i])) expect([i, flat[i]]).toEqual([i, expectedFlat[i]]);
  expect(other).toEqual(expectedOther);
}

const HEADER = 'userdatetime,customerid,category_t1,category_t2,category_t3,partitionid';

describe('StreamCsvBytesParser', () => {
  it('reads canonical rows itself and hands every other line back with its number', () => {
    const text = [
      HEADER,
      '2017-03-08T05:00:00.0000000Z,4,1.5,2,3,0',
      '2017-03-07T06:00:00Z,7,0.0,12.25,-0,1',
      '2017-03-07T06:00:00.5000000Z,7,1,2,3,1', // fraction: the string parser rounds it
      '2017-03-07T06:00:00.0000000Z,7,1e1,2,3,1', // exponent
      '2017-02-30T06:00:00.0000000Z,7,1,2,3,1', // no such day
      '2017-03-07T06:00:00.0000000Z,4.0,1,2,3,1', // an integer written as a decimal
      '2017-03-07T06:00:00.0000000Z,7,1,2,3',
      '',
      '2017-03-07T06:00:00.0000000Z,7, 1,2,3,0',
    ].join('\r\n');
    const flat: number[] = [];
    const other: [number, string][] = [];
    new StreamCsvBytesParser().parse(encoder.encode(text), flat, (t, line) => other.push([line, t]));
    expect(flat).toEqual([4, Date.UTC(2017, 2, 8, 5), 1.5, 2, 3, 7, Date.UTC(2017, 2, 7, 6), 0, 12.25, -0]);
    expect(Object.is(flat[9], -0)).toBe(true);
    expect(other.map(([line]) => line)).toEqual([4, 5, 6, 7, 8, 10]);
    expect(other[0][1]).toBe('2017-03-07T06:00:00.5000000Z,7,1,2,3,1');
    compare(encoder.encode(text));
  });

  it('ignores a leading byte-order mark but keeps one inside the text, and reads a last line without a newline', () => {
    compare(encoder.encode('\uFEFF' + HEADER + '\n2017-03-08T05:00:00Z,4,1,2,3,0\n\uFEFF2017-03-08T05:00:00Z,5,1,2,3,0\n2017-03-08T05:00:00Z,6,1,2,3,0'));
    compare(new Uint8Array([0xef, 0xbb, 0xbf]));
    compare(new Uint8Array(0));
    compare(new Uint8Array([0x32, 0x30, 0xe2, 0x0d, 0x0a, 0xff, 0x2c])); // broken UTF-8
  });

  it('agrees with the text reader on random near-canonical lines', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const number = fc.oneof(
      digits(1, 6),
      fc.tuple(digits(1, 9), digits(1, 9)).map(([a, b]) => `${a}.${b}`),
      fc.tuple(digits(1, 4), digits(0, 3)).map(([a, b]) => `-${a}${b ? '.' + b : ''}`),
      fc.double({ noNaN: true }).map(String),
      fc.constantFrom('', ' 1', '1 ', '.5', '1.', '0x10', 'Infinity', '1e3', '-', '--1', '9007199254740993', '123456789012.345678'),
    );
    const time = fc.oneof(
      fc.date({ min: new Date(Date.UTC(1000, 0, 1)), max: new Date(Date.UTC(9999, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19)),
      fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(
        ([m, d, s]) => `2017-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T06:00:${String(s).padStart(2, '0')}`,
      ),
    );
    const zone = fc.constantFrom('Z', '.0000000Z', '.0Z', '.1234567Z', '.Z', 'z', '+00:00', '.0000000+01:00', '');
    const row = fc
      .tuple(time, zone, fc.oneof(digits(1, 5), number), number, number, number, fc.constantFrom('0', '1', '', 'x', '0,1'))
      .map(([t, z, id, a, b, c, p]) => `${t}${z},${id},${a},${b},${c},${p}`);
    const lineArb = fc.oneof({ weight: 6, arbitrary: row }, { weight: 1, arbitrary: fc.constantFrom('', HEADER, 'userdatetime,x', ',,,,,', '\uFEFF') }, { weight: 1, arbitrary: fc.string() });
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, eol, finalEol) => {
        compare(encoder.encode(lines.join(eol) + (finalEol ? eol : '')));
      }),
      { numRuns: 400 },
    );
  });
});
