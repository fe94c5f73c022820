// `c360 emulator`: runs the Event Hubs emulator (AMQP 1.0, AMQPS, REST send API) until Ctrl+C.
import type { Command } from 'commander';
// Type-only: erased at run time, so `c360 --help` does not load the emulator. --tier and --auth
// arrive as the strings typed; the service checks them.
import type { RunEmulatorOptions } from '../../services/event-hubs/run-emulator.js';
import { intOption } from '../options.js';

export function register(program: Command): void {
  program
    .command('emulator')
    .summary('run the Event Hubs emulator (AMQP, AMQPS, REST) the Azure SDKs and k6 can use')
    .description(
      'Run a local Event Hubs namespace that the unmodified Azure SDKs use (connection string with ' +
        'UseDevelopmentEmulator=true) and that accepts the REST send API (original generator, k6).\n\n' +
        'Default namespace: hub "customer360" with 2 partitions and consumer group $Default, policy ' +
        "RootManageSharedAccessKey with key SAS_KEY_VALUE (as Microsoft's emulator). Throttles by " +
        'throughput units when --throughput-units is given; keeps events and checkpoints across ' +
        'crashes with --data-dir. Port 0 picks a free port; the printed lines show the real ones. ' +
        'Stops cleanly on Ctrl+C (SIGINT) or SIGTERM.',
    )
    .option('--amqp-port <port>', 'plain AMQP port (UseDevelopmentEmulator=true)', intOption('--amqp-port', 0, 65535), 5672)
    .option('--amqps-port <port>', 'also serve AMQPS on this port with a self-signed certificate (e.g. 5671)', intOption('--amqps-port', 0, 65535))
    .option('--http-port <port>', 'REST send API port', intOption('--http-port', 0, 65535), 8080)
    .option('--throughput-units <n>', 'throttle like this many TUs (1 TU: 1 MB/s or 1000 events/s in, 2 MB/s or 4096 events/s out)', intOption('--throughput-units', 1, 40))
    .option('--config <file>', "namespace config: ours (JSON/YAML, see docs/event-hubs.md) or Microsoft's emulator Config.json")
    .option('--data-dir <dir>', 'keep partition logs, checkpoints and the TLS certificate here (survive crash and restart)')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--tier <tier>', 'basic (256 KB publications) | standard | premium | dedicated (1 MB)')
    .option('--auth <mode>', 'validate SAS tokens (default) or accept-any token')
    .addHelpText(
      'after',
      `
Examples:
  c360 emulator
  c360 emulator --amqp-port 0 --http-port 0 --throughput-units 1
  c360 emulator --config Config.json --data-dir .eventhubs --amqps-port 5671

Connect with @azure/event-hubs:
  new EventHubProducerClient("<printed Endpoint=sb://… line>", "customer360")
Send over REST (SAS token for any resource of the namespace):
  POST http://127.0.0.1:8080/customer360/messages
  Content-Type: application/vnd.microsoft.servicebus.json
  [{"Body": "{\\"customerid\\": 1}"}]`,
    )
    .action(async (opts: RunEmulatorOptions) => {
      const { runEmulatorCommand } = await import('../../services/event-hubs/run-emulator.js');
      await runEmulatorCommand(opts);
    });
}
