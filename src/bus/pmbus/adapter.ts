import { ErrorCode, Orv3Error } from '../../errors.js';
import type { SmbusTransfer } from '../../protocol/smbus/index.js';

/**
 * The byte-level seam under the PMBus client: one combined SMBus transaction at a time. The
 * Linux i2c-dev adapter and the simulated twin implement it, so the client, its PEC handling and
 * its counters run unchanged against hardware and against the simulator.
 */
export interface SmbusResult {
  /**
   * Bytes clocked in after the repeated start, as received: for a fixed read the requested
   * number of bytes; for a block read the count byte, the data and the trailer (PEC). Empty for
   * writes. Nothing is checked here — PEC is the client's job.
   */
  readonly data: Uint8Array;
  /** How long the transaction held the bus, µs: modelled by the twin, measured on i2c-dev. */
  readonly busTimeUs: number;
}

export interface SmbusAdapter {
  readonly kind: 'i2c-dev' | 'sim';
  /** SCL clock, Hz. */
  readonly clockHz: number;
  /**
   * Runs one transaction. Rejects with PmbusNack (context: address, phase, busTimeUs) when the
   * slave does not acknowledge, PmbusBadResponse when a block count exceeds `read.maxCount` or
   * the read came back short, TransportIo for bus faults, TransportClosed after close().
   */
  transfer(t: SmbusTransfer): Promise<SmbusResult>;
  close(): Promise<void>;
}

/**
 * A blocking transaction, for the control loop's own thread: in real time the worker thread
 * holds the bus for the tick anyway (i2c-dev ioctls are synchronous), and in simulation the
 * lockstep runner accounts the returned bus time itself. Same errors as `transfer`, thrown.
 * The transfer is the caller's reused buffer (SyncPmbusClient rewrites it for the next
 * transaction): use it during the call, never keep it — copy what outlives the call.
 */
export interface SyncSmbusAdapter {
  readonly clockHz: number;
  transferSync(t: SmbusTransfer): SmbusResult;
}

/** Where the slave stopped acknowledging: its address, the command byte, or a data/PEC byte. */
export type NackPhase = 'address' | 'command' | 'data';

export function nackError(
  t: SmbusTransfer,
  phase: NackPhase,
  busTimeUs: number,
  why: string,
): Orv3Error {
  const cmd = t.write[0];
  const at = cmd === undefined ? '' : ` command 0x${cmd.toString(16).padStart(2, '0')}`;
  return new Orv3Error(
    ErrorCode.PmbusNack,
    `SMBus 0x${t.address.toString(16)}${at}: NACK on ${phase} (${why})`,
    { address: t.address, command: cmd, phase, busTimeUs },
  );
}

/** Bus time an adapter recorded on a failed transaction (0 when it did not say). */
export function busTimeOfError(e: unknown): number {
  if (!(e instanceof Orv3Error)) return 0;
  const us = e.context['busTimeUs'];
  return typeof us === 'number' && Number.isFinite(us) ? us : 0;
}

export function closedError(kind: string): Orv3Error {
  return new Orv3Error(ErrorCode.TransportClosed, `SMBus adapter (${kind}) is closed`);
}
