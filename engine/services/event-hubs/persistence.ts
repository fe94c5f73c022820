// Durable partition logs and checkpoints under --data-dir. Each partition is an append-only file of
// length- and CRC-framed records, written (write(2), before the client is acknowledged) so that a
// crash — even kill -9 — never loses an acknowledged event: the bytes are in the kernel's page cache.
// A torn record at the end (a crash mid-write, never acknowledged) is cut off on recovery.
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Checkpoint, EventHubsNamespace, NamespaceStore } from './model/namespace.js';
import type { LogEntry } from './model/partition-log.js';

const HEADER = 8; // u32 payload length, u32 crc32 of the payload
const VERSION = 1;

function encodeRecord(e: LogEntry): Buffer {
  const pk = e.partitionKey === undefined ? undefined : Buffer.from(e.partitionKey, 'utf8');
  const bytes = e.bytes;
  const payloadLength = 1 + 8 + 8 + 2 + (pk?.length ?? 0) + bytes.length;
  const buf = Buffer.allocUnsafe(HEADER + payloadLength);
  let p = HEADER;
  buf[p++] = VERSION;
  buf.writeBigInt64BE(BigInt(e.sequenceNumber), p);
  p += 8;
  buf.writeBigInt64BE(BigInt(e.enqueuedTime), p);
  p += 8;
  buf.writeUInt16BE(pk ? pk.length : 0xffff, p);
  p += 2;
  if (pk) p += pk.copy(buf, p);
  bytes.copy(buf, p);
  buf.writeUInt32BE(payloadLength, 0);
  buf.writeUInt32BE(crc32(buf.subarray(HEADER)), 4);
  return buf;
}

/** Decodes records until the first incomplete or corrupt one; returns the entries and the good length. */
interface Recovered {
  sequenceNumber: number;
  enqueuedTime: number;
  partitionKey?: string;
  bytes: Buffer;
}

function decodeRecords(file: Buffer): { entries: Recovered[]; goodLength: number } {
  const entries: Recovered[] = [];
  let pos = 0;
  while (pos + HEADER <= file.length) {
    const len = file.readUInt32BE(pos);
    const end = pos + HEADER + len;
    if (len < 19 || end > file.length) break;
    const payload = file.subarray(pos + HEADER, end);
    if (crc32(payload) !== file.readUInt32BE(pos + 4) || payload[0] !== VERSION) break;
    const seq = Number(payload.readBigInt64BE(1));
    const enqueuedTime = Number(payload.readBigInt64BE(9));
    const pkLen = payload.readUInt16BE(17);
    let p = 19;
    let partitionKey: string | undefined;
    if (pkLen !== 0xffff) {
      partitionKey = payload.toString('utf8', p, p + pkLen);
      p += pkLen;
    }
    entries.push({ sequenceNumber: seq, enqueuedTime, partitionKey, bytes: Buffer.from(payload.subarray(p)) });
    pos = end;
  }
  return { entries, goodLength: pos };
}

export interface DataDirStore extends NamespaceStore {
  /** Events and checkpoints recovered at open. */
  recovered: { events: number; checkpoints: number; truncatedBytes: number };
  close(): void;
}

const safe = (name: string) => encodeURIComponent(name).replace(/\*/g, '%2A');

/** Recovers `namespace` from `dir` (creating it if new) and attaches the store so new events are written there. */
export function openDataDir(dir: string, namespace: EventHubsNamespace): DataDirStore {
  mkdirSync(dir, { recursive: true });
  const fds = new Map<string, number>();
  const recovered = { events: 0, checkpoints: 0, truncatedBytes: 0 };
  for (const hubName of namespace.hubNames()) {
    const hub = namespace.hub(hubName)!;
    const hubDir = path.join(dir, 'hubs', safe(hub.name));
    mkdirSync(hubDir, { recursive: true });
    for (const log of hub.partitions) {
      const file = path.join(hubDir, `${log.partitionId}.log`);
      const fd = openSync(file, existsSync(file) ? 'r+' : 'w+');
      const content = readFileSync(file);
      const { entries, goodLength } = decodeRecords(content);
      if (goodLength < content.length) {
        ftruncateSync(fd, goodLength);
        recovered.truncatedBytes += content.length - goodLength;
      }
      for (const e of entries) log.restore(e);
      recovered.events += entries.length;
      fds.set(`${hub.name}\u0000${log.partitionId}`, fd);
    }
  }
  const checkpointFile = path.join(dir, 'checkpoints.json');
  let checkpoints: Record<string, Checkpoint & { hub: string; group: string; partitionId: string }> = {};
  if (existsSync(checkpointFile)) {
    checkpoints = JSON.parse(readFileSync(checkpointFile, 'utf8'));
    for (const c of Object.values(checkpoints)) {
      if (!namespace.hub(c.hub)) continue;
      namespace.restoreCheckpoint(c.hub, c.group, c.partitionId, { offset: c.offset, sequenceNumber: c.sequenceNumber, updatedAt: c.updatedAt });
      recovered.checkpoints++;
    }
  }
  namespace.enforceRetention();
  const store: DataDirStore = {
    recovered,
    appendEvents(hub, partitionId, entries) {
      const fd = fds.get(`${hub}\u0000${partitionId}`);
      if (fd === undefined) throw new Error(`no log file for ${hub}/${partitionId}`);
      const buf = entries.length === 1 ? encodeRecord(entries[0]) : Buffer.concat(entries.map(encodeRecord));
      // positional write at the end: the file may have been truncated at recovery
      writeSync(fd, buf, 0, buf.length, fstatSync(fd).size);
    },
    saveCheckpoint(hub, group, partitionId, checkpoint) {
      checkpoints[`${hub}/${group.toLowerCase()}/${partitionId}`] = { hub, group, partitionId, ...checkpoint };
      const tmp = `${checkpointFile}.tmp`;
      writeFileSync(tmp, JSON.stringify(checkpoints));
      renameSync(tmp, checkpointFile); // atomic: a crash leaves the old or the new file, never half of one
    },
    close() {
      for (const fd of fds.values()) closeSync(fd);
      fds.clear();
    },
  };
  namespace.attachStore(store);
  return store;
}
