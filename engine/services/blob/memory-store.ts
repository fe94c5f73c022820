// In-memory ObjectStore: containers of named byte arrays. For the virtual-clock pipeline and tests.
import { UserError } from '../../core/errors.js';
import type { ObjectInfo, ObjectStore } from '../../ports/storage.js';
import { checkName, toBytes } from './names.js';

export class MemoryObjectStore implements ObjectStore {
  private readonly containers = new Map<string, Map<string, Uint8Array>>();

  private container(name: string): Map<string, Uint8Array> {
    checkName(name, 'container');
    let c = this.containers.get(name);
    if (!c) {
      c = new Map();
      this.containers.set(name, c);
    }
    return c;
  }

  async put(container: string, name: string, data: Uint8Array | string): Promise<void> {
    checkName(name, 'blob');
    this.container(container).set(name, toBytes(data));
  }

  async append(container: string, name: string, data: Uint8Array | string): Promise<void> {
    checkName(name, 'blob');
    const c = this.container(container);
    const add = toBytes(data);
    const old = c.get(name);
    if (!old) {
      c.set(name, add);
      return;
    }
    const joined = new Uint8Array(old.length + add.length);
    joined.set(old, 0);
    joined.set(add, old.length);
    c.set(name, joined);
  }

  async get(container: string, name: string): Promise<Uint8Array> {
    const data = this.containers.get(container)?.get(name);
    if (!data) throw new UserError(`blob not found: ${container}/${name}`);
    return data;
  }

  async list(container: string, prefix = ''): Promise<ObjectInfo[]> {
    const c = this.containers.get(container);
    if (!c) return [];
    return [...c.entries()]
      .filter(([n]) => n.startsWith(prefix))
      .map(([n, d]) => ({ name: n, size: d.length }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
