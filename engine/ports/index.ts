export * from './clock.js';
export * from './events.js';
export * from './storage.js';
export * from './jobs.js';
