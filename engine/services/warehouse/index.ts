// The warehouse service: SQLite schema, loaders and the ETL SQL.
export * from './schema.js';
export * from './timestamps.js';
export * from './warehouse.js';
export * from './loaders.js';
export * from './etl.js';
export * from './stream-csv-bytes.js';
export * from './profile-values.js';
