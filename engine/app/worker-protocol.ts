// Messages between the app (engine/app/jobs.ts) and a job worker process (engine/app/worker.ts).
import type { KpisDto, MetricPointDto, SliceDto } from '../../electron/common/contract.js';
import type { StoredProfile, JobDetail } from './store.js';

export type WorkerRequest =
  | { type: 'run'; jobId: string; scenarioName: string; shippedDir: string; userDir: string; outDir: string; speed?: number }
  | {
      type: 'train';
      jobId: string;
      data: string;
      outModel: string;
      outMetrics: string;
      params: { trees: number; depth: number; learningRate: number; testFraction: number; seed: number };
    };

export type WorkerMessage =
  | { type: 'progress'; progress: number; message: string }
  | { type: 'points'; grainSeconds: number; points: MetricPointDto[]; replace: boolean }
  | { type: 'profiles'; rows: StoredProfile[] }
  | { type: 'matrix-row'; index: number; id: string; overrides: Record<string, unknown>; kpis: KpisDto }
  | { type: 'done'; kpis: KpisDto | null; detail: JobDetail & { slices?: SliceDto[] } }
  | { type: 'cancelled' }
  | { type: 'failed'; message: string };
