// The work of one slice, as the two activities Data Factory runs: the ETL builds customer profiles from
// what the stream job stored, then scoring writes the enriched profiles to the warehouse. The slice
// runner (a port) adds retries, concurrency, states and deadlines around them.
import type { EnrichedProfileRow } from '../ports/storage.js';
import type { PipelineTarget, ProfileRow, SliceActivities, SliceWindow } from '../ports/pipeline.js';
import { emptyConfusion, LABEL_COUNT } from './accuracy.js';
import type { MetricsRecorder } from './recorder.js';

export class SliceWork implements SliceActivities {
  private readonly built = new Map<number, ProfileRow[]>();
  /** The latest enriched profile of each customer (what the warehouse table holds at the end). */
  readonly latest = new Map<number, EnrichedProfileRow>();
  /** Worker-node time of the ETL cluster: finished runs' modelled durations and cancelled runs' held time. */
  etlNodeMs = 0;

  constructor(
    private readonly target: PipelineTarget,
    private readonly recorder: MetricsRecorder,
    private readonly workerNodes: number,
  ) {}

  async etl(slice: SliceWindow): Promise<void> {
    const { host, profiles, durations } = this.target;
    const newEvents = this.recorder.latency.capture(slice.index);
    const summary = this.recorder.slice(slice.index);
    summary.newEvents += newEvents;
    // If the attempt fails, what it captured stays with the slice for its retry; a slice that fails for
    // good hands its events back to the next slice (run.ts, on the Failed state).
    const ms = durations ? durations.etlMs({ newEvents, workerNodes: this.workerNodes }) : 0;
    // The ETL reads its input now; a builder on another thread computes while the clock runs through
    // the modelled duration, and the result is taken (time held until it is there) when that ends.
    const building = profiles.buildProfiles(slice);
    building.catch(() => {}); // awaited below, after the wait
    if (ms > 0) await host.clock.sleepUntil(host.clock.now() + ms);
    const rows = await host.track(building);
    summary.etlMs += ms;
    this.etlNodeMs += ms * this.workerNodes;
    this.built.set(slice.index, rows);
  }

  /** A cancelled ETL run held its worker nodes until its timeout: node time used like a finished run's. */
  cancelled(activity: 'ETL' | 'Scoring', _slice: SliceWindow, heldMs: number): void {
    if (activity === 'ETL') this.etlNodeMs += heldMs * this.workerNodes;
  }

  async score(slice: SliceWindow): Promise<void> {
    const { host, scorer, warehouse, truth, durations } = this.target;
    const rows = this.built.get(slice.index);
    if (!rows) throw new Error(`slice ${slice.index}: scoring ran before its ETL finished`);
    {
      const result = await host.track(scorer.score(rows));
      if (result.labels.length !== rows.length || result.probabilities.length !== rows.length * LABEL_COUNT)
        throw new Error(`slice ${slice.index}: the scorer returned ${result.labels.length} labels for ${rows.length} rows`);
      const enriched: EnrichedProfileRow[] = rows.map((features, i) => ({
        customerID: Number(features.customerID),
        label: result.labels[i],
        probabilities: [0, 1, 2, 3].map((k) => result.probabilities[i * LABEL_COUNT + k]) as [number, number, number, number],
        features,
      }));
      const ms = durations ? durations.scoreMs({ rows: rows.length }) : 0;
      if (ms > 0) await host.clock.sleepUntil(host.clock.now() + ms);
      this.recorder.slice(slice.index).scoreMs += ms;
      await host.track(warehouse.writeEnrichedProfiles(enriched));
      const writtenAt = host.clock.now();
      const labels = await host.track(truth.labels(slice));
      const confusion = emptyConfusion();
      for (const row of enriched) {
        const actual = labels.get(row.customerID);
        if (actual !== undefined && actual >= 0 && actual < LABEL_COUNT && row.label >= 0 && row.label < LABEL_COUNT) confusion[actual][row.label]++;
        this.latest.set(row.customerID, row);
      }
      this.recorder.sliceScored(slice.index, writtenAt, enriched.length, confusion);
      this.built.delete(slice.index);
    }
  }
}
