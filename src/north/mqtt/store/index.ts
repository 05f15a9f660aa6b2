/**
 * Store-and-forward for the MQTT uplink: a bounded, crash-safe, on-disk FIFO of opaque records.
 * See README.md for the format, the guarantees and the loss windows.
 */
export { DurableQueue } from './queue.js';
export type { StoredRecord } from './frame.js';
export { frameBytes } from './frame.js';
export { DEFAULTS } from './options.js';
export type {
  AppendResult,
  DropPolicy,
  DropReason,
  DropStats,
  DurableQueueOptions,
  FsyncPolicy,
  StoreStats,
} from './options.js';
