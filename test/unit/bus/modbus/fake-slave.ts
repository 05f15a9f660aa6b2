/**
 * Test support for the bus/modbus tests: a register-bank slave answering RTU frames, with hooks
 * for faults, and `run` to drive a VirtualClock event by event until a promise settles.
 */
import type { VirtualClock } from '../../../../src/clock/index.js';
import {
  decodeRtuRequest,
  encodeRtuResponse,
  type ModbusRequest,
  type ModbusResponse,
} from '../../../../src/protocol/modbus/index.js';
import type { SimulatedReply, SlaveEndpoint } from '../../../../src/bus/modbus/index.js';

export interface SeenRequest {
  readonly unit: number;
  readonly request: ModbusRequest;
  readonly atMs: number;
}

/** Registers hold their own address unless written, so a read shows what it read. */
export class FakeSlaves {
  readonly regs = new Map<number, number>();
  readonly seen: SeenRequest[] = [];
  /** Return a reply to override the normal answer (undefined: answer normally, null: silence). */
  fault:
    ((s: SeenRequest, n: number) => Uint8Array | SimulatedReply | null | undefined) | undefined;

  constructor(
    readonly units: readonly number[],
    private readonly nowMs: () => number = () => 0,
  ) {}

  readonly endpoint: SlaveEndpoint = (frame) => {
    const d = decodeRtuRequest(frame);
    if (!d.ok) return null;
    const { unit, request } = d.value;
    if (unit !== 0 && !this.units.includes(unit)) return null;
    const s: SeenRequest = { unit, request, atMs: this.nowMs() };
    this.seen.push(s);
    const resp = this.execute(request);
    if (unit === 0) return null;
    const override = this.fault?.(s, this.seen.length - 1);
    if (override !== undefined) return override;
    return encodeRtuResponse(unit, resp);
  };

  private execute(r: ModbusRequest): ModbusResponse {
    switch (r.fc) {
      case 0x03:
      case 0x04: {
        const values = new Uint16Array(r.count);
        for (let i = 0; i < r.count; i++)
          values[i] = this.regs.get(r.start + i) ?? (r.start + i) & 0xffff;
        return { kind: 'read', fc: r.fc, values };
      }
      case 0x06:
        this.regs.set(r.address, r.value);
        return { kind: 'writeSingle', fc: 0x06, address: r.address, value: r.value };
      case 0x10:
        r.values.forEach((v, i) => this.regs.set(r.start + i, v));
        return { kind: 'writeMultiple', fc: 0x10, start: r.start, count: r.values.length };
    }
  }
}

/** Flushes every pending microtask (a macrotask runs only once the microtask queue is empty). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Advances the clock timer by timer (advanceAsync to each due time, then a full microtask flush)
 * until `p` settles, so async code sees exactly the modelled times. Throws past `limitMs`.
 */
export async function run<T>(clock: VirtualClock, p: Promise<T>, limitMs = 60_000): Promise<T> {
  let done = false;
  const watched = p.then(
    (v) => ((done = true), v),
    (e: unknown) => {
      done = true;
      throw e;
    },
  );
  watched.catch(() => undefined);
  await flush();
  while (!done) {
    const due = clock.nextDueMs();
    if (due === null || due > limitMs) throw new Error(`stalled at ${clock.nowMs()} ms`);
    await clock.advanceAsync(Math.max(0, due - clock.nowMs()));
    await flush();
  }
  return watched;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
