// metrics.csv and enriched_profiles.csv.
//
// metrics.csv has ONE ROW PER SECOND of clock time (the recorder's resolution), from the run's start to
// its end: `time` (ISO-8601 UTC, start of the second), `elapsed_s`, then one column per metric with its
// Azure name. Counters are per-second amounts; gauges (BackloggedInputEvents, WatermarkDelay in ms,
// ResourceUtilization in %) are the highest reading in that second. Roll up to Azure's one-minute
// grain by summing counters and taking the max of gauges over 60 rows (report.json lists which is which).
import type { MetricSeries } from '../ports/pipeline.js';
import type { EnrichedProfileRow } from '../ports/storage.js';
import { CsvWriter } from '../io/csv-file.js';
import { isoTime } from './format.js';
import { enrichedCells, enrichedColumns } from './profile-columns.js';

export async function writeMetricsCsv(file: string, series: MetricSeries, grainSeconds = 1): Promise<number> {
  const names = series.definitions().map((d) => d.name);
  const writer = new CsvWriter(file, ['time', 'elapsed_s', ...names]);
  const rows = series.rows(grainSeconds);
  for (const row of rows) {
    await writer.write([isoTime(row.time), (row.time - series.origin) / 1000, ...names.map((n) => row.values[n])]);
  }
  await writer.close();
  return rows.length;
}

export async function writeEnrichedProfilesCsv(file: string, profiles: readonly EnrichedProfileRow[]): Promise<number> {
  const { features, header } = enrichedColumns(profiles);
  const writer = new CsvWriter(file, header);
  for (const row of profiles) await writer.write(enrichedCells(row, features));
  await writer.close();
  return profiles.length;
}
