/**
 * protocol/smbus: the SMBus wire format PMBus rides on, as pure functions — PEC (CRC-8), the byte
 * layouts of each transaction for both master and slave, and the bus-time model. No I/O, no
 * clock: src/bus/pmbus drives real or simulated buses with it, sim/ may serve devices with it.
 */
export { addressByte, crc8, transactionPec } from './pec.js';
export { SmbusFrames } from './frames.js';
export type { SmbusRead, SmbusTransfer } from './transactions.js';
export {
  buildProcessCall,
  buildReadBlock,
  buildReadByte,
  buildReadWord,
  buildSendByte,
  buildWriteBlock,
  buildWriteByte,
  buildWriteWord,
  checkReadPec,
  parseBlockRead,
  parseReadByte,
  parseReadWord,
  PMBUS_BLOCK_MAX,
  slaveResponse,
  SMBUS2_BLOCK_MAX,
  wireBytes,
  writePecValid,
} from './transactions.js';
export type { SmbusTiming, TimeBreakdown, WireShape } from './timing.js';
export {
  shapeOf,
  SMBUS_SPEED_CLASSES,
  smbusTiming,
  transactionBreakdown,
  transactionTimeUs,
  wordReadTimeUs,
} from './timing.js';
