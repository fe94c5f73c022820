// UI benchmark: what the dashboard's profile table costs per interaction. The table is virtualised and
// asks the engine for one page at a time (AppStore.queryProfiles: SQLite, filtered, sorted, paged);
// the baseline is what a non-virtualised table would need on every filter change — every profile
// loaded, filtered and sorted in JavaScript, and all of it serialised for the renderer. Both are
// measured here, on the same generated profiles, in this one run.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineSummary, medianMs } from './machine.js';
import { AppStore, type StoredProfile } from '../engine/app/store.js';
import { Random } from '../engine/core/random.js';

const SIZES = [6_000, 100_000];
const INCOMES = ['Less_than_10K', '10K_50K', '50K_100K', 'Greater_than_100K'];

function profiles(n: number): StoredProfile[] {
  const rng = new Random(7);
  return Array.from({ length: n }, (_, i) => {
    const raw = [rng.next() * 4, rng.next(), rng.next(), rng.next()];
    const sum = raw.reduce((a, b) => a + b, 0);
    const probabilities = raw.map((x) => x / sum);
    const features: Record<string, number | string> = { age: rng.int(18, 80), Gender: rng.next() < 0.5 ? 'M' : 'F', Income: INCOMES[rng.int(0, 3)] };
    for (const k of ['T1count_30d', 'T2count_30d', 'T3count_30d', 'T1spend_30d', 'T2spend_30d', 'T3spend_30d', 'r_60d', 'f_60d']) features[k] = rng.int(0, 20000);
    return { customerID: i + 1, label: probabilities.indexOf(Math.max(...probabilities)), probabilities, actual: rng.int(0, 3), features };
  });
}

const rows: string[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'c360-bench-ui-'));
try {
  for (const n of SIZES) {
    const store = new AppStore(path.join(dir, `app-${n}.db`));
    const data = profiles(n);
    const insertMs = await medianMs(() => store.addProfiles('run', data), 1, 0);
    const query = { label: 1, search: 'Greater_than_100K', sort: 'probability' as const, offset: 0, limit: 100 };
    const pageMs = await medianMs(() => JSON.stringify(store.queryProfiles('run', query)), 9, 2);
    const baselineMs = await medianMs(() => {
      const all = [...store.allProfiles('run')];
      const hits = all.filter((p) => p.label === query.label && JSON.stringify(p.features).includes(query.search));
      hits.sort((a, b) => Math.max(...b.probabilities) - Math.max(...a.probabilities));
      return JSON.stringify(hits).length + JSON.stringify(all).length;
    }, 5, 1);
    rows.push(`| ${n.toLocaleString('en-US')} | ${insertMs.toFixed(0)} | ${pageMs.toFixed(1)} | ${baselineMs.toFixed(0)} | ${(baselineMs / pageMs).toFixed(0)}× |`);
    store.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`## UI: profile table queries\n\n${machineSummary()}\n`);
console.log('Filter by label + text search + sort by probability, first page of 100 (median of 9; baseline median of 5).\n');
console.log('| profiles | store (ms, once per run) | page query (ms) | baseline: load+filter+sort+serialise all (ms) | speed-up |');
console.log('|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
