// Writes the four files of a run report into a folder: report.json, metrics.csv (one row per second),
// enriched_profiles.csv and the self-contained report.html.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from '../ports/pipeline.js';
import { writeEnrichedProfilesCsv, writeMetricsCsv } from './csv-files.js';
import { buildReportJson, type ReportContext } from './report-json.js';
import { renderRunHtml } from './run-html.js';

export interface RunReportFiles {
  json: string;
  metrics: string;
  profiles: string;
  html: string;
}

export async function writeRunReport(dir: string, result: RunResult, context: ReportContext = {}): Promise<RunReportFiles> {
  await mkdir(dir, { recursive: true });
  const files: RunReportFiles = {
    json: path.join(dir, 'report.json'),
    metrics: path.join(dir, 'metrics.csv'),
    profiles: path.join(dir, 'enriched_profiles.csv'),
    html: path.join(dir, 'report.html'),
  };
  await writeFile(files.json, JSON.stringify(buildReportJson(result, context), null, 2) + '\n');
  await writeMetricsCsv(files.metrics, result.series, 1);
  await writeEnrichedProfilesCsv(files.profiles, result.profiles);
  await writeFile(files.html, renderRunHtml(result, context));
  return files;
}
