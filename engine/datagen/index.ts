// The data generator as a library: the pipeline (issue 6) streams sessions from here; the CLI writes files.
export * from './config.js';
export * from './groups.js';
export * from './customers.js';
export * from './purchases.js';
export * from './browsing.js';
export * from './summary.js';
export * from './reference.js';
export * from './write-dataset.js';
