// What `c360 emulator` does: build the namespace config from flags and file, start the front
// doors on the wall clock, print how to connect, and shut down cleanly on SIGINT/SIGTERM.
import { UserError } from '../../core/errors.js';
import { wallClock } from '../../sim/wall-clock.js';
import { defaultNamespaceConfig, loadNamespaceConfig, type NamespaceConfig, type Tier } from './model/config.js';
import { startEventHubsEmulator } from './emulator.js';

export interface RunEmulatorOptions {
  amqpPort: number;
  amqpsPort?: number;
  httpPort: number;
  throughputUnits?: number;
  config?: string;
  dataDir?: string;
  host: string;
  tier?: string;
  auth?: string;
}

export function buildConfig(opts: RunEmulatorOptions): NamespaceConfig {
  const config = opts.config ? loadNamespaceConfig(opts.config) : defaultNamespaceConfig();
  if (opts.throughputUnits !== undefined) config.throughputUnits = opts.throughputUnits;
  if (opts.tier !== undefined) {
    if (!['basic', 'standard', 'premium', 'dedicated'].includes(opts.tier)) throw new UserError(`--tier must be basic, standard, premium or dedicated (got "${opts.tier}")`);
    config.tier = opts.tier as Tier;
  }
  if (opts.auth !== undefined) {
    if (opts.auth !== 'validate' && opts.auth !== 'accept-any') throw new UserError(`--auth must be validate or accept-any (got "${opts.auth}")`);
    config.auth = opts.auth;
  }
  return config;
}

export async function runEmulatorCommand(opts: RunEmulatorOptions): Promise<void> {
  const config = buildConfig(opts);
  let emu;
  try {
    emu = await startEventHubsEmulator({
      config,
      clock: wallClock,
      host: opts.host,
      amqpPort: opts.amqpPort,
      amqpsPort: opts.amqpsPort,
      httpPort: opts.httpPort,
      dataDir: opts.dataDir,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new UserError(`port already in use (${err.message.replace(/^listen EADDRINUSE: address already in use /, '')}); pick another with --amqp-port/--http-port, or 0 for a free one`);
    if (err.code === 'EACCES') throw new UserError(`not allowed to listen: ${err.message}`);
    throw e;
  }
  const out = (line: string) => process.stdout.write(line + '\n');
  const hubs = config.hubs.map((h) => `${h.name} (${h.partitionCount} partitions)`).join(', ');
  out(`Event Hubs emulator: namespace ${config.name}, hubs ${hubs}`);
  out(emu.connectionString);
  if (emu.restBaseUrl) out(`REST: ${emu.restBaseUrl}`);
  if (emu.amqpsPort !== undefined) out(`AMQPS: amqps://localhost:${emu.amqpsPort} (self-signed certificate, trust it with: ${emu.caFile})`);
  out(`Throughput units: ${config.throughputUnits ?? 'not set (no throttling)'}; tier ${config.tier}; max publication ${emu.namespace.maxMessageBytes} bytes`);
  if (opts.dataDir) {
    const p = emu.namespace.hubNames().map((h) => emu.namespace.hub(h)!.partitions.reduce((s, l) => s + l.size, 0)).reduce((a, b) => a + b, 0);
    out(`Data dir: ${opts.dataDir} (${p} events retained)`);
  }
  out('Ready. Press Ctrl+C to stop.');

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`${signal}: shutting down the emulator…\n`);
      void emu.close().then(
        () => {
          const m = emu.namespace.metrics;
          out(`Stopped. IncomingMessages=${m.IncomingMessages} OutgoingMessages=${m.OutgoingMessages} ThrottledRequests=${m.ThrottledRequests}`);
          resolve();
        },
        (e) => {
          process.stderr.write(`error during shutdown: ${(e as Error).message}\n`);
          resolve();
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
