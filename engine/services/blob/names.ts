// Blob and container name checks shared by the stores, so a bad name fails the same way everywhere
// (and a name can never escape the store's root folder).
import { UserError } from '../../core/errors.js';

export function checkName(name: string, what: 'container' | 'blob'): void {
  if (typeof name !== 'string' || name.length === 0) throw new UserError(`${what} name must not be empty`);
  if (what === 'container' && !/^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])?$/.test(name) && name !== '$root')
    throw new UserError(`invalid container name "${name}" (3-63 lower-case letters, digits and dashes)`);
  if (what === 'blob') {
    if (name.length > 1024) throw new UserError(`blob name longer than 1024 characters: "${name.slice(0, 40)}…"`);
    if (name.split('/').some((seg) => seg === '..' || seg === '.')) throw new UserError(`blob name may not contain "." or ".." segments: "${name}"`);
    if (name.startsWith('/') || name.includes('\\') || name.includes('\0')) throw new UserError(`invalid blob name "${name}"`);
  }
}

export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}
