// ObjectStore over Azure Blob Storage (a real account or Azurite) through @azure/storage-blob.
// put → block blob upload; append → one more committed block (how the Stream Analytics Blob output grows a
// file, up to 50,000 blocks). The SDK is loaded lazily so the embedded stores need no Azure packages.
import { UserError } from '../../core/errors.js';
import type { ObjectInfo, ObjectStore } from '../../ports/storage.js';
import { checkName, toBytes } from './names.js';
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';

/** Block ids must all have the same length within a blob. */
function blockId(n: number): string {
  return Buffer.from(`block-${String(n).padStart(8, '0')}`).toString('base64');
}

export class AzureBlobObjectStore implements ObjectStore {
  private readonly containers = new Map<string, Promise<ContainerClient>>();

  private constructor(private readonly service: BlobServiceClient) {}

  static async fromConnectionString(connectionString: string): Promise<AzureBlobObjectStore> {
    const { BlobServiceClient } = await import('@azure/storage-blob');
    try {
      return new AzureBlobObjectStore(BlobServiceClient.fromConnectionString(connectionString));
    } catch (e) {
      throw new UserError(`invalid storage connection string: ${(e as Error).message}`);
    }
  }

  private container(name: string): Promise<ContainerClient> {
    checkName(name, 'container');
    let c = this.containers.get(name);
    if (!c) {
      const client = this.service.getContainerClient(name);
      c = client.createIfNotExists().then(() => client);
      this.containers.set(name, c);
    }
    return c;
  }

  async put(container: string, name: string, data: Uint8Array | string): Promise<void> {
    checkName(name, 'blob');
    const bytes = toBytes(data);
    await (await this.container(container)).getBlockBlobClient(name).upload(bytes, bytes.length);
  }

  async append(container: string, name: string, data: Uint8Array | string): Promise<void> {
    checkName(name, 'blob');
    const bytes = toBytes(data);
    const blob = (await this.container(container)).getBlockBlobClient(name);
    // Appending = staging one more block and committing the list, which works on blobs made by put() too.
    let committed: string[] = [];
    try {
      const list = await blob.getBlockList('committed');
      committed = (list.committedBlocks ?? []).map((b) => b.name);
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404) throw e;
    }
    if (committed.length === 0 && (await blob.exists())) {
      // A blob uploaded in one shot has no block list: re-commit its content as the first block.
      const old = await blob.downloadToBuffer();
      const first = blockId(0);
      await blob.stageBlock(first, old, old.length);
      committed = [first];
    }
    if (committed.length >= 50_000) throw new UserError(`blob ${container}/${name} has 50,000 blocks; start a new blob`);
    const id = blockId(committed.length);
    await blob.stageBlock(id, bytes, bytes.length);
    await blob.commitBlockList([...committed, id]);
  }

  async get(container: string, name: string): Promise<Uint8Array> {
    checkName(name, 'blob');
    try {
      const buf = await (await this.container(container)).getBlobClient(name).downloadToBuffer();
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) throw new UserError(`blob not found: ${container}/${name}`);
      throw e;
    }
  }

  async list(container: string, prefix = ''): Promise<ObjectInfo[]> {
    checkName(container, 'container');
    const client = this.service.getContainerClient(container);
    if (!(await client.exists())) return [];
    const out: ObjectInfo[] = [];
    for await (const b of client.listBlobsFlat({ prefix })) out.push({ name: b.name, size: b.properties.contentLength ?? 0 });
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
