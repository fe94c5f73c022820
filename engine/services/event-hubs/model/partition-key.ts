// Partition-key → partition id, exactly as Event Hubs does it (Jenkins lookup3 `hashlittle2` over the
// UTF-8 bytes, seeds 0, int16(c ^ b), |h mod n|). Ported from @azure/event-hubs
// `impl/partitionKeyToIdMapper.ts` so that the SDK's buffered producer (which hashes client-side)
// and this emulator put the same key on the same partition. The arithmetic deliberately mixes JS
// doubles and int32 bit operations the way the SDK does: changing it changes the partition.

export function mapPartitionKeyToId(partitionKey: string, partitionCount: number): number {
  return Math.abs(hashPartitionKey(partitionKey) % partitionCount);
}

export function hashPartitionKey(partitionKey: string): number {
  const { b, c } = computeHash(Buffer.from(partitionKey, 'utf8'));
  return (((c ^ b) << 16) >> 16); // cast to int16
}

function computeHash(data: Buffer): { b: number; c: number } {
  let a: number, b: number, c: number;
  a = b = c = 0xdeadbeef + data.length;
  let index = 0;
  let size = data.length;
  const u32 = (offset: number) => data.readUInt32LE(offset);
  while (size > 12) {
    a += u32(index);
    b += u32(index + 4);
    c += u32(index + 8);
    a -= c; a ^= (c << 4) | (c >>> 28); c += b;
    b -= a; b ^= (a << 6) | (a >>> 26); a += c;
    c -= b; c ^= (b << 8) | (b >>> 24); b += a;
    a -= c; a ^= (c << 16) | (c >>> 16); c += b;
    b -= a; b ^= (a << 19) | (a >>> 13); a += c;
    c -= b; c ^= (b << 4) | (b >>> 28); b += a;
    index += 12;
    size -= 12;
  }
  if (size === 0) return { b: b >>> 0, c: c >>> 0 };
  // The tail: the SDK's switch falls through from 11→9, 7→5 and 3→1; unrolled here as ranges.
  if (size === 12) {
    a += u32(index); b += u32(index + 4); c += u32(index + 8);
  } else if (size >= 8) {
    if (size >= 11) c += data[index + 10] << 16;
    if (size >= 10) c += data[index + 9] << 8;
    if (size >= 9) c += data[index + 8];
    b += u32(index + 4);
    a += u32(index);
  } else if (size >= 4) {
    if (size >= 7) b += data[index + 6] << 16;
    if (size >= 6) b += data[index + 5] << 8;
    if (size >= 5) b += data[index + 4];
    a += u32(index);
  } else {
    if (size >= 3) a += data[index + 2] << 16;
    if (size >= 2) a += data[index + 1] << 8;
    a += data[index];
  }
  c ^= b; c -= (b << 14) | (b >>> 18);
  a ^= c; a -= (c << 11) | (c >>> 21);
  b ^= a; b -= (a << 25) | (a >>> 7);
  c ^= b; c -= (b << 16) | (b >>> 16);
  a ^= c; a -= (c << 4) | (c >>> 28);
  b ^= a; b -= (a << 14) | (a >>> 18);
  c ^= b; c -= (b << 24) | (b >>> 8);
  return { b: b >>> 0, c: c >>> 0 };
}
