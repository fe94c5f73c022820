// Shared bits of the ML tests: where the original data is, and running the system Python (Debian's
// python3-onnx / python3-xgboost serve as independent oracles).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, sharedDir } from '../helpers/cli.js';

const sharedCopy = path.join(sharedDir, 'data/customer360-original/customer_profile_label.csv');
/** The original labelled profiles (the shared copy when present, else the repository's). */
export const ORIGINAL_PROFILES = existsSync(sharedCopy) ? sharedCopy : path.join(repoRoot, 'data/customer360-original/customer_profile_label.csv');

export const PYTHON = '/usr/bin/python3';
export const pythonDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'python');

/** Runs a script from test/ml/python; throws with its stderr when it fails. */
export function runPython(script: string, args: string[]): string {
  const r = spawnSync(PYTHON, [path.join(pythonDir, script), ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** A small CSV (no quoted commas) as header + rows of strings. */
export function readSimpleCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trim().split(/\r?\n/);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}
