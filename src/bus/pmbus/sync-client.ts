import { ErrorCode, isOrv3Error } from '../../errors.js';
import {
  buildReadByte,
  buildReadWord,
  buildSendByte,
  buildWriteByte,
  buildWriteWord,
  parseReadByte,
  parseReadWord,
} from '../../protocol/smbus/index.js';
import type { SmbusTransfer } from '../../protocol/smbus/index.js';
import { busTimeOfError } from './adapter.js';
import type { SyncSmbusAdapter } from './adapter.js';
import type { PmbusCounters } from './client.js';

/**
 * The control loop's PMBus client: the same framing and PEC rules as SmbusPmbusClient, blocking,
 * with no queue (the loop owns its segment), no PAGE (fast-lane commands are page-less) and no
 * retries (a failed read is a missing sample; the next tick reads again). Every transaction adds
 * its bus time to `busTimeUs`, which the runner turns into elapsed time.
 */
export class SyncPmbusClient {
  /** Bus time of the transactions since the last `takeBusTime()`, µs. */
  private pendingUs = 0;
  private readonly stats = new Map<number, PmbusCounters>();

  constructor(
    private readonly adapter: SyncSmbusAdapter,
    private readonly pec = true,
  ) {}

  get clockHz(): number {
    return this.adapter.clockHz;
  }

  readByte(address: number, command: number): number {
    const t = buildReadByte(address, command, this.pec);
    return this.run(t, (rx) => parseReadByte(t, rx, this.pec));
  }

  readWord(address: number, command: number): number {
    const t = buildReadWord(address, command, this.pec);
    return this.run(t, (rx) => parseReadWord(t, rx, this.pec));
  }

  writeWord(address: number, command: number, value: number): void {
    this.run(buildWriteWord(address, command, value, this.pec), () => 0);
  }

  writeByte(address: number, command: number, value: number): void {
    this.run(buildWriteByte(address, command, value, this.pec), () => 0);
  }

  sendByte(address: number, command: number): void {
    this.run(buildSendByte(address, command, this.pec), () => 0);
  }

  /** Bus time accumulated since the last call, µs; resets it. */
  takeBusTime(): number {
    const us = this.pendingUs;
    this.pendingUs = 0;
    return us;
  }

  counters(address: number): PmbusCounters {
    return { ...this.counter(address) };
  }

  private counter(address: number): PmbusCounters {
    let c = this.stats.get(address);
    if (!c) {
      c = { transactions: 0, nacks: 0, pecErrors: 0, badResponses: 0, retries: 0, busTimeUs: 0 };
      this.stats.set(address, c);
    }
    return c;
  }

  private run<T>(t: SmbusTransfer, parse: (rx: Uint8Array) => T): T {
    const c = this.counter(t.address);
    c.transactions++;
    let us = 0;
    try {
      const r = this.adapter.transferSync(t);
      us = r.busTimeUs;
      return parse(r.data);
    } catch (e) {
      us = us || busTimeOfError(e);
      if (isOrv3Error(e, ErrorCode.PmbusNack)) c.nacks++;
      else if (isOrv3Error(e, ErrorCode.PmbusPec)) c.pecErrors++;
      else c.badResponses++;
      throw e;
    } finally {
      c.busTimeUs += us;
      this.pendingUs += us;
    }
  }
}
