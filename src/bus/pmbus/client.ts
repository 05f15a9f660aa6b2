/**
 * What the device layer sees of a PMBus/SMBus segment: command-level transactions with PEC,
 * over a byte-level adapter (Linux i2c-dev, or the simulated twin). Values are raw data words or
 * bytes; src/regmap's PMBus codecs turn them into SI units.
 */
export interface PmbusCounters {
  transactions: number;
  nacks: number;
  pecErrors: number;
  badResponses: number;
  /** Bus time spent, µs (modelled on the simulated twin, measured on hardware). */
  busTimeUs: number;
}

export interface PmbusClient {
  /** SMBus clock, Hz (100 kHz, 400 kHz or 1 MHz), for the timing model. */
  readonly clockHz: number;
  readByte(address: number, command: number): Promise<number>;
  readWord(address: number, command: number): Promise<number>;
  /** Data bytes only (the count byte and PEC are checked and stripped). */
  readBlock(address: number, command: number): Promise<Uint8Array>;
  writeByte(address: number, command: number, value: number): Promise<void>;
  writeWord(address: number, command: number, value: number): Promise<void>;
  sendByte(address: number, command: number): Promise<void>;
  writeBlock(address: number, command: number, data: Uint8Array): Promise<void>;
  counters(address: number): PmbusCounters;
  close(): Promise<void>;
}
