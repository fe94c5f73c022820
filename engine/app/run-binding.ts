// The one module that calls the pipeline's run API (`runOne` from engine/index.ts). Everything else in
// engine/app talks to `runScenarioRun`, so when that API changes shape only this file changes. It runs
// inside the job worker process (engine/app/worker.ts), never in the UI's process.
import { runOne, type LoadedScenario, type ProgressEvent, type ScenarioRun } from '../index.js';
import type { RunResult } from '../ports/pipeline.js';

export interface LiveProgress {
  /** 0..1 of this run's planned scenario time. */
  share: number;
  /** The metric series recorded so far (a live view of the run's recorder), for live charts. */
  series?: RunResult['series'];
}

export interface RunBindingOptions {
  loaded: LoadedScenario;
  run: ScenarioRun;
  index: number;
  total: number;
  onProgress: (progress: LiveProgress) => void;
  /** Paced-clock speed factor for live demos (scenario seconds per wall second); undefined = the scenario's clock. */
  speed?: number;
  outDir: string;
}

/** Runs one scenario (one matrix combination) to its RunResult, writing its report files into outDir. */
export async function runScenarioRun(options: RunBindingOptions): Promise<RunResult> {
  const outcome = await runOne(options.loaded, options.run, options.outDir, {
    out: options.outDir,
    speed: options.speed,
    index: options.index,
    total: options.total,
    onProgress: (p: ProgressEvent) => {
      const span = p.plannedEnd - p.start;
      const share = span > 0 ? (p.now - p.start) / span : 0;
      options.onProgress({ share: Math.min(1, Math.max(0, share)), series: p.series });
    },
  });
  return outcome.result;
}
