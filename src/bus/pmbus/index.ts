/**
 * bus/pmbus: PMBus over SMBus — the command-level client (PEC, PAGE, priorities, counters) over a
 * byte-level adapter: Linux i2c-dev (i2c-bus, loaded on demand) or the simulated twin that
 * charges modelled bus time on a Clock. See README.md and docs/PMBUS.md.
 */
export type { PmbusClient, PmbusCounters, PmbusRequestOptions } from './client.js';
export type { NackPhase, SmbusAdapter, SmbusResult, SyncSmbusAdapter } from './adapter.js';
export { SyncPmbusClient } from './sync-client.js';
export { busTimeOfError, nackError } from './adapter.js';
export type { Priority } from './queue.js';
export { BusQueue } from './queue.js';
export type { SmbusClientOptions } from './smbus-client.js';
export { PMBUS_PAGE, SmbusPmbusClient } from './smbus-client.js';
export type { PmbusCommandShape, PmbusDeviceLike, SimulatedSmbusOptions } from './twin.js';
export { SimulatedSmbusAdapter } from './twin.js';
export type { I2cBusLike, I2cDevOptions, OpenI2cDevOptions } from './i2c-dev.js';
export { I2C_BLOCK_MAX, I2cDevAdapter, openI2cDev } from './i2c-dev.js';
