// Writes the example report (a synthetic run on the fixture ports) and, with --screenshot, saves a
// Chromium screenshot of its report.html to docs/report-example.png:
//   node --import tsx test/report/make-example.ts out/report-example --screenshot
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeRunReport } from '../../engine/report/write-run.js';
import { exampleRun } from './example-run.js';

const out = path.resolve(process.argv[2] ?? 'out/report-example');
const result = await exampleRun(3000);
const files = await writeRunReport(out, result, { scenarioFile: 'test/report/example-run.ts (synthetic fixture run)' });
console.log(`wrote ${Object.values(files).join(', ')}`);
if (process.argv.includes('--screenshot')) {
  const png = path.resolve('docs/report-example.png');
  execFileSync('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--hide-scrollbars', `--screenshot=${png}`, '--window-size=1280,2600', pathToFileURL(files.html).href], { stdio: 'inherit' });
  console.log(`screenshot: ${png}`);
}
