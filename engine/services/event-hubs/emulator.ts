// Starts the Event Hubs emulator: one namespace, its front doors (AMQP, AMQPS, REST) and optional
// persistence. Used by `c360 emulator`, by the tests, and by the local target for live runs.
import type { Clock } from '../../ports/clock.js';
import { type NamespaceConfig } from './model/config.js';
import { EventHubsNamespace } from './model/namespace.js';
import { AmqpFrontDoor } from './amqp/server.js';

export interface EmulatorOptions {
  config: NamespaceConfig;
  clock: Clock;
  host?: string;
  /** Plain AMQP port (0 = pick one, null = off). */
  amqpPort?: number | null;
  /** AMQPS port with a self-signed certificate (null/undefined = off). */
  amqpsPort?: number | null;
  /** REST send API port (null/undefined = off). */
  httpPort?: number | null;
  /** Keep partition logs and checkpoints here, across crashes and restarts. */
  dataDir?: string;
  /** Where to write the self-signed CA/certificate (defaults to dataDir or a temp dir). */
  certDir?: string;
}

export interface RunningEmulator {
  namespace: EventHubsNamespace;
  host: string;
  amqpPort?: number;
  amqpsPort?: number;
  httpPort?: number;
  /** The certificate file clients must trust for AMQPS (self-signed, generated at start). */
  caFile?: string;
  connectionString: string;
  restBaseUrl?: string;
  /** Consumer links attached over AMQP right now. */
  activeConsumers(): number;
  close(): Promise<void>;
}

export function connectionStringFor(host: string, port: number, policy: { name: string; key: string }, hub?: string): string {
  const h = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `Endpoint=sb://${h}:${port};SharedAccessKeyName=${policy.name};SharedAccessKey=${policy.key};UseDevelopmentEmulator=true${hub ? `;EntityPath=${hub}` : ''}`;
}

export async function startEventHubsEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const namespace = new EventHubsNamespace(options.config, options.clock);
  const closers: (() => Promise<void>)[] = [];
  const result: Partial<RunningEmulator> = { namespace, host };
  try {
    if (options.dataDir) {
      const { openDataDir } = await import('./persistence.js');
      const store = openDataDir(options.dataDir, namespace);
      closers.push(async () => store.close());
    }
    const amqp = new AmqpFrontDoor(namespace);
    closers.push(() => amqp.close());
    result.activeConsumers = () => amqp.activeConsumers();
    if (options.amqpPort !== null) result.amqpPort = await amqp.listen({ host, port: options.amqpPort ?? 5672 });
    if (options.amqpsPort !== null && options.amqpsPort !== undefined) {
      const { selfSignedCertificate } = await import('./tls.js');
      const cert = await selfSignedCertificate(options.certDir ?? options.dataDir, host);
      result.caFile = cert.certFile;
      const tmp = cert.temporaryDir;
      if (tmp) closers.unshift(async () => (await import('node:fs')).rmSync(tmp, { recursive: true, force: true }));
      result.amqpsPort = await amqp.listen({ host, port: options.amqpsPort, tls: cert });
    }
    if (options.httpPort !== null && options.httpPort !== undefined) {
      const { RestFrontDoor } = await import('./rest/server.js');
      const rest = new RestFrontDoor(namespace);
      closers.push(() => rest.close());
      result.httpPort = await rest.listen({ host, port: options.httpPort });
      result.restBaseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${result.httpPort}`;
    }
  } catch (e) {
    for (const c of closers.reverse()) await c().catch(() => {});
    throw e;
  }
  const policy = options.config.policies[0];
  const port = result.amqpPort ?? result.amqpsPort ?? 5672;
  result.connectionString = connectionStringFor(host, port, policy);
  result.close = async () => {
    for (const c of [...closers].reverse()) await c();
  };
  return result as RunningEmulator;
}
