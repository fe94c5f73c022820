// A self-signed certificate for the AMQPS front door, generated at start with openssl (valid for
// localhost and 127.0.0.1). Clients trust it by pointing at the printed file (Python:
// connection_verify=<file>). With a data directory the certificate is kept and reused.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../core/errors.js';

const run = promisify(execFile);

export interface Certificate {
  key: Buffer;
  cert: Buffer;
  certFile: string;
  keyFile: string;
  /** The certificate lives in a temporary directory (no data dir): remove it at shutdown. */
  temporaryDir?: string;
}

export async function selfSignedCertificate(dir: string | undefined, host: string): Promise<Certificate> {
  const target = dir ? path.join(dir, 'tls') : mkdtempSync(path.join(os.tmpdir(), 'c360-eventhubs-tls-'));
  mkdirSync(target, { recursive: true });
  const keyFile = path.join(target, 'key.pem');
  const certFile = path.join(target, 'cert.pem');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    const san = ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1'];
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '0.0.0.0') san.push(/^[\d.]+$/.test(host) ? `IP:${host}` : `DNS:${host}`);
    try {
      await run('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '365',
        '-keyout', keyFile, '-out', certFile, '-subj', '/CN=localhost',
        '-addext', `subjectAltName=${san.join(',')}`,
        '-addext', 'basicConstraints=critical,CA:TRUE',
      ]);
    } catch (e) {
      throw new UserError(`cannot generate the AMQPS certificate with openssl: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile, keyFile, temporaryDir: dir ? undefined : target };
}
