// Folder-tree ObjectStore: <root>/<container>/<blob path>. Blob names with '/' become sub-folders, so
// the output is browsable like Storage Explorer shows a container. The embedded default store.
import { appendFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import type { ObjectInfo, ObjectStore } from '../../ports/storage.js';
import { checkName, toBytes } from './names.js';

export class FsObjectStore implements ObjectStore {
  constructor(readonly root: string) {}

  private file(container: string, name: string): string {
    checkName(container, 'container');
    checkName(name, 'blob');
    return path.join(this.root, container, ...name.split('/'));
  }

  async put(container: string, name: string, data: Uint8Array | string): Promise<void> {
    const f = this.file(container, name);
    await mkdir(path.dirname(f), { recursive: true });
    await writeFile(f, toBytes(data));
  }

  async append(container: string, name: string, data: Uint8Array | string): Promise<void> {
    const f = this.file(container, name);
    await mkdir(path.dirname(f), { recursive: true });
    await appendFile(f, toBytes(data));
  }

  async get(container: string, name: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.file(container, name)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`blob not found: ${container}/${name}`);
      throw e;
    }
  }

  async list(container: string, prefix = ''): Promise<ObjectInfo[]> {
    checkName(container, 'container');
    const base = path.join(this.root, container);
    const out: ObjectInfo[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const name = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (prefix.startsWith(name + '/') || name.startsWith(prefix) || prefix.startsWith(name)) await walk(path.join(dir, e.name), name);
        } else if (name.startsWith(prefix)) out.push({ name, size: (await stat(path.join(dir, e.name))).size });
      }
    };
    await walk(base, '');
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
