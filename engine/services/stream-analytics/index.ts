// Public surface of the Stream Analytics emulator (imported by engine/targets and engine/cli only).
//
// In-process use on a virtual clock (the pipeline):
//   const job = new StreamAnalyticsJob(defaultJobDefinition(queryText, { inputs: { readDataFromInput: { kind: 'stream', partitionIds: [0, 1] } },
//     outputs: { PipeDataToBlobInTimeSlices: blobDef } }), { store });
//   job.onOutput((alias, row) => …);             // every output row, in emission order
//   job.push('readDataFromInput', { partitionId: 0, enqueuedTime: ms, body });   // arrival order
//   job.advanceTo(ms);                            // time passes without events (idle partitions, batch timeouts)
//   job.metrics();                                // Azure-named counters
//   job.end(); await job.drain();                 // end of input: flush windows, finish Blob writes
export { StreamAnalyticsJob, type InputEvent, type JobState, type StepDescription, type JobOptions } from './runtime/job.js';
export { defaultJobDefinition, DEFAULT_FLAGS, type JobDefinition, type EmulatorFlags, type BlobOutputDefinition, type OutputDefinition, type InputDefinition } from './job-config.js';
export { loadArmJob } from './io/arm-template.js';
export { runFiles, loadDefinition, type RunFilesOptions, type RunFilesResult } from './run-files.js';
export { rowToJson } from './runtime/outputs.js';
export type { JobMetrics } from './runtime/metrics.js';
export { parseQuery } from './query/parser.js';
export * from './capacity.js';
