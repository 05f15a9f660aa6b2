import { VirtualClock } from '../../../../src/clock/index.js';
import { ErrorCode, Orv3Error } from '../../../../src/errors.js';
import { SimulatedSmbusAdapter, SmbusPmbusClient } from '../../../../src/bus/pmbus/index.js';
import type {
  PmbusCommandShape,
  PmbusDeviceLike,
  SimulatedSmbusOptions,
  SmbusClientOptions,
} from '../../../../src/bus/pmbus/index.js';
import type { PmbusTransaction } from '../../../../src/regmap/index.js';

/** A small PMBus device for bus tests: values in maps, per-page words, a log of what it did. */
export class FakeDevice implements PmbusDeviceLike {
  responding = true;
  page = 0;
  pecFailures: number[] = [];
  readonly log: string[] = [];
  readonly bytes = new Map<number, number>();
  /** Keyed by page × 256 + code, so a paged device answers per page. */
  readonly words = new Map<number, number>();
  readonly blocks = new Map<number, Uint8Array>();
  /** Writes with a value in this set are refused as invalid data. */
  readonly refuse = new Set<number>();
  private readonly table: PmbusCommandShape[];

  constructor(table: Record<number, PmbusTransaction[]>) {
    this.table = Object.entries(table).map(([code, transactions]) => ({
      code: Number(code),
      transactions,
    }));
  }

  commands(): readonly PmbusCommandShape[] {
    return this.table;
  }

  private check(code: number, t: PmbusTransaction): void {
    const c = this.table.find((x) => x.code === code);
    if (c === undefined || !c.transactions.includes(t)) {
      this.log.push(`refused ${t} 0x${code.toString(16)}`);
      // Shaped like the simulator's PmbusError: STATUS_CML invalid command.
      throw new Orv3Error(ErrorCode.UnsupportedCommand, `no ${t} for 0x${code.toString(16)}`, {
        command: code,
        cmlBit: 0x80,
      });
    }
  }

  private accept(code: number, value: number): void {
    if (this.refuse.has(value)) {
      throw new Orv3Error(ErrorCode.IllegalValue, `refused ${value}`, {
        command: code,
        cmlBit: 0x40,
      });
    }
  }

  readByte(code: number): number {
    this.check(code, 'readByte');
    this.log.push(`readByte 0x${code.toString(16)}`);
    return code === 0x00 ? this.page : (this.bytes.get(code) ?? 0);
  }

  readWord(code: number): number {
    this.check(code, 'readWord');
    this.log.push(`readWord 0x${code.toString(16)} p${this.page}`);
    return this.words.get(this.page * 256 + code) ?? this.words.get(code) ?? 0;
  }

  readBlock(code: number): Uint8Array {
    this.check(code, 'readBlock');
    this.log.push(`readBlock 0x${code.toString(16)}`);
    return this.blocks.get(code) ?? new Uint8Array(0);
  }

  writeByte(code: number, value: number): void {
    this.check(code, 'writeByte');
    this.accept(code, value);
    this.log.push(`writeByte 0x${code.toString(16)} ${value}`);
    if (code === 0x00) this.page = value;
    else this.bytes.set(code, value);
  }

  writeWord(code: number, value: number): void {
    this.check(code, 'writeWord');
    this.accept(code, value);
    this.log.push(`writeWord 0x${code.toString(16)} ${value}`);
    this.words.set(code, value);
  }

  writeBlock(code: number, data: Uint8Array): void {
    this.check(code, 'writeBlock');
    this.log.push(`writeBlock 0x${code.toString(16)} [${[...data].join(',')}]`);
    this.blocks.set(code, Uint8Array.from(data));
  }

  sendByte(code: number): void {
    this.check(code, 'sendByte');
    this.log.push(`sendByte 0x${code.toString(16)}`);
  }

  pecFailed(code: number): void {
    this.pecFailures.push(code);
  }
}

/** A PSU-like command table: PAGE, CLEAR_FAULTS, VOUT_MODE, VOUT_COMMAND, READ_*, MFR_ID. */
export const PSU_TABLE: Record<number, PmbusTransaction[]> = {
  0x00: ['readByte', 'writeByte'],
  0x03: ['sendByte'],
  0x20: ['readByte', 'writeByte'],
  0x21: ['readWord', 'writeWord'],
  0x88: ['readWord'],
  0x8b: ['readWord'],
  0x96: ['readWord'],
  0x99: ['readBlock', 'writeBlock'],
};

export interface Bench {
  clock: VirtualClock;
  dev: FakeDevice;
  twin: SimulatedSmbusAdapter;
  client: SmbusPmbusClient;
}

/** One fake device at 0x58 on a simulated 400 kHz bus, with a client over it. */
export function bench(
  twinOpts: Partial<SimulatedSmbusOptions> = {},
  clientOpts: SmbusClientOptions = {},
): Bench {
  const clock = new VirtualClock();
  const dev = new FakeDevice(PSU_TABLE);
  const twin = new SimulatedSmbusAdapter({
    clock,
    lookup: (a) => (a === 0x58 ? dev : undefined),
    ...twinOpts,
  });
  return { clock, dev, twin, client: new SmbusPmbusClient(twin, clientOpts) };
}

/**
 * Runs virtual time timer by timer until `p` settles, so the clock stops exactly at the end of
 * the last transaction it needed. Returns the settled value or rethrows.
 */
export async function settle<T>(clock: VirtualClock, p: Promise<T>): Promise<T> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let guard = 0; guard < 100_000; guard++) {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    if (done) return p;
    const due = clock.nextDueMs();
    if (due === null) throw new Error('nothing scheduled and the promise is still pending');
    clock.advanceTo(due);
  }
  throw new Error('did not settle');
}

/** The rejection of `p` (fails the test if it resolves). */
export async function rejection(clock: VirtualClock, p: Promise<unknown>): Promise<Orv3Error> {
  try {
    await settle(clock, p);
  } catch (e) {
    if (e instanceof Orv3Error) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}
