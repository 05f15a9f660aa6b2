import { ErrorCode, isOrv3Error } from '../../errors.js';
import { parseReadByte, parseReadWord, SmbusFrames } from '../../protocol/smbus/index.js';
import type { SmbusTransfer } from '../../protocol/smbus/index.js';
import { busTimeOfError } from './adapter.js';
import type { SyncSmbusAdapter } from './adapter.js';
import type { PmbusCounters } from './client.js';

/** What a transaction's answer is parsed as (writes have none): a tag, not a closure per call. */
const Answer = { None: 0, Byte: 1, Word: 2 } as const;
type Answer = (typeof Answer)[keyof typeof Answer];

/**
 * The control loop's PMBus client: the same framing and PEC rules as SmbusPmbusClient, blocking,
 * with no queue (the loop owns its segment), no PAGE (fast-lane commands are page-less) and no
 * retries (a failed read is a missing sample; the next tick reads again). Every transaction adds
 * its bus time to `busTimeUs`, which the runner turns into elapsed time.
 *
 * It runs every tick, so it allocates nothing of its own per transaction: the frames are built
 * into preallocated transfers (`SmbusFrames`, valid until the next transaction — the adapter's
 * call is blocking and keeps nothing) and the answer is parsed by kind, not by a closure.
 */
export class SyncPmbusClient {
  /** Bus time of the transactions since the last `takeBusTime()`, µs. */
  private pendingUs = 0;
  private readonly stats = new Map<number, PmbusCounters>();
  private readonly frames: SmbusFrames;

  constructor(
    private readonly adapter: SyncSmbusAdapter,
    private readonly pec = true,
  ) {
    this.frames = new SmbusFrames(pec);
  }

  get clockHz(): number {
    return this.adapter.clockHz;
  }

  readByte(address: number, command: number): number {
    return this.run(this.frames.readByte(address, command), Answer.Byte);
  }

  readWord(address: number, command: number): number {
    return this.run(this.frames.readWord(address, command), Answer.Word);
  }

  writeWord(address: number, command: number, value: number): void {
    this.run(this.frames.writeWord(address, command, value), Answer.None);
  }

  writeByte(address: number, command: number, value: number): void {
    this.run(this.frames.writeByte(address, command, value), Answer.None);
  }

  sendByte(address: number, command: number): void {
    this.run(this.frames.sendByte(address, command), Answer.None);
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

  private run(t: SmbusTransfer, answer: Answer): number {
    const c = this.counter(t.address);
    c.transactions++;
    let us = 0;
    try {
      const r = this.adapter.transferSync(t);
      us = r.busTimeUs;
      if (answer === Answer.Byte) return parseReadByte(t, r.data, this.pec);
      if (answer === Answer.Word) return parseReadWord(t, r.data, this.pec);
      return 0;
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
