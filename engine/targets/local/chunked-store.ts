// The in-memory Blob store the local target gives Stream Analytics: like services/blob's MemoryObjectStore,
// but an append adds a chunk instead of copying the whole blob (the job appends a 2,000-row batch at a
// time to the hour's blob, so copying made appends quadratic), and a reader can take only the bytes
// added since its last read — what each Data Factory slice's ETL needs.
import type { ObjectInfo, ObjectStore } from '../../ports/storage.js';
import { MemoryObjectStore } from '../../services/blob/index.js';

const encoder = new TextEncoder();

interface Blob {
  chunks: Uint8Array[];
  size: number;
}

/** Told of every append, after it is stored (the warehouse thread stages Stream Analytics output as it comes). */
export type AppendListener = (container: string, name: string, bytes: Uint8Array) => void;

export class ChunkedMemoryStore implements ObjectStore {
  /** Set by whoever reads the appends as they come. */
  onAppend: AppendListener | undefined;
  private readonly blobs = new Map<string, Map<string, Blob>>();
  /** Name checks and errors exactly as the Blob service's own memory store makes them. */
  private readonly checker = new MemoryObjectStore();

  private blob(container: string, name: string, create: boolean): Blob | undefined {
    let c = this.blobs.get(container);
    if (!c) {
      if (!create) return undefined;
      this.blobs.set(container, (c = new Map()));
    }
    let b = c.get(name);
    if (!b && create) c.set(name, (b = { chunks: [], size: 0 }));
    return b;
  }

  async put(container: string, name: string, data: Uint8Array | string): Promise<void> {
    await this.checker.put(container, name, '');
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    const b = this.blob(container, name, true)!;
    b.chunks = [bytes];
    b.size = bytes.length;
  }

  async append(container: string, name: string, data: Uint8Array | string): Promise<void> {
    const b = this.blob(container, name, false) ?? (await this.checker.put(container, name, ''), this.blob(container, name, true)!);
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    b.chunks.push(bytes);
    b.size += bytes.length;
    this.onAppend?.(container, name, bytes);
  }

  async get(container: string, name: string): Promise<Uint8Array> {
    const b = this.blob(container, name, false);
    if (!b) return this.checker.get(container, name); // throws the Blob service's "not found"
    return this.readFrom(b, 0);
  }

  /** The bytes of a blob from `offset` on (empty if nothing new). */
  async getFrom(container: string, name: string, offset: number): Promise<Uint8Array> {
    const b = this.blob(container, name, false);
    if (!b) return this.checker.get(container, name);
    return this.readFrom(b, offset);
  }

  /** Copies only the chunks at or after `offset` (a slice reads just what was appended since the last one). */
  private readFrom(b: Blob, offset: number): Uint8Array {
    const start = Math.min(Math.max(0, offset), b.size);
    if (b.chunks.length === 1 && start === 0) return b.chunks[0];
    const out = new Uint8Array(b.size - start);
    let pos = 0;
    let at = 0;
    for (const c of b.chunks) {
      const end = pos + c.length;
      if (end > start) {
        const from = Math.max(0, start - pos);
        out.set(from > 0 ? c.subarray(from) : c, at);
        at += c.length - from;
      }
      pos = end;
    }
    return out;
  }

  async list(container: string, prefix = ''): Promise<ObjectInfo[]> {
    const c = this.blobs.get(container);
    if (!c) return [];
    return [...c.entries()]
      .filter(([n]) => n.startsWith(prefix))
      .map(([n, b]) => ({ name: n, size: b.size }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
