// Slice windows: the active period cut into [start, start + width) intervals, as Data Factory's
// scheduler does. The last slice is cut at the period's end only if it fits whole; a partial slice
// never runs (Data Factory does not produce partial slices either).
import type { EpochMs } from '../../ports/clock.js';

export interface SliceWindow {
  index: number;
  start: EpochMs;
  end: EpochMs;
}

export function sliceWindows(periodStart: EpochMs, periodEnd: EpochMs, widthMs: number): SliceWindow[] {
  if (!(widthMs > 0) || !Number.isFinite(widthMs)) throw new RangeError(`slice width must be a positive number of ms (got ${widthMs})`);
  if (!(periodEnd >= periodStart)) throw new RangeError(`active period ends (${periodEnd}) before it starts (${periodStart})`);
  const out: SliceWindow[] = [];
  for (let start = periodStart, index = 0; start + widthMs <= periodEnd; start += widthMs, index++) out.push({ index, start, end: start + widthMs });
  return out;
}
