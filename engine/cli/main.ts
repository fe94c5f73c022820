// The c360 command. Each file in ./commands registers one subcommand (export `register`); they are
// discovered here so adding a command never means editing a shared list. Command modules stay light
// and import their implementation inside the action, so `c360 --help` starts fast.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { UserError } from '../core/errors.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function buildProgram(): Promise<Command> {
  const program = new Command('c360')
    .description(
      'Digital twin and load-test harness of the Azure Customer 360 pipeline: ' +
        'generate data, run the emulators, run scenarios, train and score the model.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: true });
  const dir = path.join(here, 'commands');
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { register?: (p: Command) => void };
    mod.register?.(program);
  }
  return program;
}

/** Prints a user error as one line and exits non-zero; anything else is a bug and keeps its stack. */
export function reportError(error: unknown): never {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof UserError) {
    process.stderr.write(`c360: error: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`c360: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(70);
}

try {
  const program = await buildProgram();
  program.exitOverride();
  await program.parseAsync(process.argv);
} catch (error) {
  reportError(error);
}
