// Azure secrets (connection strings, keys) live only in the main process, encrypted at rest with the OS
// keychain through Electron's safeStorage, and are never sent to the renderer: the renderer may ask
// which secrets are set, not what they are.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** The part of Electron's safeStorage this store uses (main process only). */
export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class SecretStore {
  constructor(
    private readonly file: string,
    private readonly encryptor: Encryptor,
  ) {}

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
  }

  set(name: string, value: string): void {
    // Refuse rather than fall back to plain text: a secret on disk unencrypted is worse than no secret.
    if (!this.encryptor.isEncryptionAvailable()) throw new Error('the OS keychain is not available; secrets cannot be stored safely');
    const all = this.read();
    all[name] = this.encryptor.encryptString(value).toString('base64');
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify(all, null, 2), { mode: 0o600 });
  }

  get(name: string): string | undefined {
    const stored = this.read()[name];
    return stored === undefined ? undefined : this.encryptor.decryptString(Buffer.from(stored, 'base64'));
  }

  /** What the renderer may learn: the names that have a value. */
  names(): string[] {
    return Object.keys(this.read()).sort();
  }
}
