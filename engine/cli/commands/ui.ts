// `c360 ui`: the dashboard in a browser (the same renderer and API as the desktop app), on 127.0.0.1.
import type { Command } from 'commander';
import { intOption, numberOption } from '../options.js';

export function register(program: Command): void {
  program
    .command('ui')
    .summary('serve the dashboard (the desktop app\'s pages) in a browser on 127.0.0.1')
    .description(
      'Serve the dashboard in a browser: run scenarios and watch live charts, browse the enriched profiles, ' +
        'sweep TU × SU matrices, train and import models, compare runs. Listens on 127.0.0.1 only and prints ' +
        'its URL (http://127.0.0.1:PORT). The renderer is built with Vite on first use (renderer/dist).',
    )
    .option('--port <n>', 'port to listen on (0 picks a free one)', intOption('--port', 0, 65535), 4360)
    .option('--run <scenario>', 'start this scenario at once (a name from scenarios/, e.g. seed-demo)')
    .option('--speed <x>', 'paced-clock speed for --run (scenario seconds per wall second)', numberOption('--speed', 0.1, 10000))
    .option('--workspace <dir>', 'where run history (SQLite), saved scenarios and models live', 'out/ui')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  c360 ui                          # http://127.0.0.1:4360\n' +
        '  c360 ui --port 0 --run seed-demo # free port, start the seed demo at once\n' +
        '  c360 ui --workspace /tmp/demo    # a fresh history\n',
    )
    .action(async (opts: { port: number; run?: string; speed?: number; workspace: string }) => {
      const { startUi } = await import('../../server/ui.js');
      const ui = await startUi({ port: opts.port, run: opts.run, speed: opts.speed, workspace: opts.workspace, log: (l) => process.stderr.write(`${l}\n`) });
      process.stdout.write(`${ui.url}\n`);
      if (ui.startedRun) process.stderr.write(`started ${ui.startedRun}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await ui.close();
    });
}
