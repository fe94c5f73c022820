export { FsObjectStore } from './fs-store.js';
export { MemoryObjectStore } from './memory-store.js';
