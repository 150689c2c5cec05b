export { SqliteStorage, type SqliteStorageOptions } from './sqlite-storage.js';
export { SqliteWriterThread } from './writer-thread.js';
