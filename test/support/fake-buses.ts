/**
 * Bus fakes for device-layer tests: a ModbusClient that answers from the simulator's register
 * façade (exceptions become the ModbusExceptionError the real client throws, silence a
 * ModbusTimeout), a simulated PMBus segment (the real SmbusPmbusClient over the bus layer's
 * twin), the real RTU client over the simulated line, and a zone like the façade tests'.
 */
import type {
  DeviceCounters,
  LatencyHistogram,
  ModbusClient,
  Priority,
  RequestOptions,
} from '../../src/bus/modbus/client.js';
import type { Clock } from '../../src/clock/index.js';
import { ErrorCode, Orv3Error } from '../../src/errors.js';
import { ModbusExceptionError } from '../../src/protocol/modbus/index.js';
import { readPlanTimeUs } from '../../src/devices/line-time.js';
import { DeviceDirectory, ModbusException } from '../../sim/facade/index.js';
import type { ModbusFacade } from '../../sim/facade/index.js';
import { GridSource } from '../../sim/physics/grid.js';
import { SimZone } from '../../sim/physics/zone.js';
import { DEFAULT_PHYSICS, ZONE_PRESETS } from '../../sim/params.js';
import { loadBuiltinMaps } from '../../src/regmap/index.js';

export const maps = loadBuiltinMaps();

export interface LoggedRequest {
  readonly unit: number;
  readonly fc: 0x03 | 0x04 | 0x06 | 0x10;
  readonly start: number;
  readonly count: number;
  readonly values?: readonly number[];
  readonly priority: Priority | undefined;
  readonly timeoutMs: number | undefined;
}

export interface FakeModbusOptions {
  readonly baudRate?: number;
  readonly transport?: ModbusClient['transport'];
  /** Charge modelled RTU line time on this clock per request (default: answer at once). */
  readonly clock?: Clock;
  /** Timeout charged for a silent unit when a clock is given, ms (default 100). */
  readonly timeoutMs?: number;
}

class Histogram implements LatencyHistogram {
  readonly boundsMs = [1, 5, 10, 20, 50, 100, 200, 500];
  readonly counts = new Array<number>(9).fill(0);
  count = 0;
  add(ms: number): void {
    const i = this.boundsMs.findIndex((b) => ms <= b);
    this.counts[i < 0 ? this.boundsMs.length : i]!++;
    this.count++;
  }
  percentileMs(p: number): number {
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= (p / 100) * this.count) return this.boundsMs[i] ?? Infinity;
    }
    return 0;
  }
}

const newCounters = (): DeviceCounters => ({
  requests: 0,
  responses: 0,
  timeouts: 0,
  crcErrors: 0,
  badFrames: 0,
  exceptions: 0,
  retries: 0,
  latency: new Histogram(),
});

/** A ModbusClient over the simulator's Modbus façades, with a request log and fault switches. */
export class FakeModbusClient implements ModbusClient {
  readonly transport: ModbusClient['transport'];
  readonly baudRate: number;
  readonly log: LoggedRequest[] = [];
  private readonly stats = new Map<number, DeviceCounters>();
  private readonly silenced = new Set<number>();

  constructor(
    private readonly lookup: (unit: number) => ModbusFacade | undefined,
    private readonly opts: FakeModbusOptions = {},
  ) {
    this.transport = opts.transport ?? 'sim';
    this.baudRate = opts.baudRate ?? 19200;
  }

  /** The unit stops answering (timeouts) until restore(). */
  silence(unit: number): void {
    this.silenced.add(unit);
  }

  restore(unit: number): void {
    this.silenced.delete(unit);
  }

  readHoldingRegisters(unit: number, start: number, count: number, o?: RequestOptions) {
    return this.call({ unit, fc: 0x03, start, count, o }, (f) =>
      f.readHoldingRegisters(start, count),
    );
  }

  readInputRegisters(unit: number, start: number, count: number, o?: RequestOptions) {
    return this.call({ unit, fc: 0x04, start, count, o }, (f) =>
      f.readInputRegisters(start, count),
    );
  }

  async writeSingleRegister(unit: number, address: number, value: number, o?: RequestOptions) {
    await this.call({ unit, fc: 0x06, start: address, count: 1, values: [value], o }, (f) =>
      f.writeSingleRegister(address, value),
    );
  }

  async writeMultipleRegisters(
    unit: number,
    start: number,
    values: ArrayLike<number>,
    o?: RequestOptions,
  ) {
    const vs = Array.from(values);
    await this.call({ unit, fc: 0x10, start, count: vs.length, values: vs, o }, (f) =>
      f.writeMultipleRegisters(start, vs),
    );
  }

  counters(unit: number): DeviceCounters {
    let c = this.stats.get(unit);
    if (c === undefined) this.stats.set(unit, (c = newCounters()));
    return c;
  }

  units(): number[] {
    return [...this.stats.keys()].sort((a, b) => a - b);
  }

  async close(): Promise<void> {}

  /** Requests to one unit (optionally one function), from the log. */
  requestsTo(unit: number, fc?: number): LoggedRequest[] {
    return this.log.filter((r) => r.unit === unit && (fc === undefined || r.fc === fc));
  }

  private async call<T>(
    r: Omit<LoggedRequest, 'priority' | 'timeoutMs'> & { o?: RequestOptions },
    op: (f: ModbusFacade) => T,
  ): Promise<T> {
    const { o, ...req } = r;
    // As the real clients: RTU unit ids stop at 247, TCP's at 255; refused before the wire.
    const maxUnit = this.transport === 'rtu' ? 247 : 255;
    if (!Number.isInteger(r.unit) || r.unit < 0 || r.unit > maxUnit) {
      throw new Orv3Error(ErrorCode.ModbusBadRequest, `unit ${r.unit} is not 0..${maxUnit}`, {
        unit: r.unit,
      });
    }
    this.log.push({ ...req, priority: o?.priority, timeoutMs: o?.timeoutMs });
    const c = this.counters(r.unit);
    c.requests++;
    const clock = this.opts.clock;
    const facade = this.silenced.has(r.unit) ? undefined : this.lookup(r.unit);
    if (facade === undefined || !facade.responding) {
      c.timeouts++;
      if (clock !== undefined) await clock.sleep(o?.timeoutMs ?? this.opts.timeoutMs ?? 100);
      throw new Orv3Error(ErrorCode.ModbusTimeout, `unit ${r.unit}: no response`, {
        unit: r.unit,
      });
    }
    let result: T;
    try {
      result = op(facade);
    } catch (e) {
      if (!(e instanceof ModbusException)) throw e;
      c.exceptions++;
      throw new ModbusExceptionError(r.unit, r.fc, e.exceptionCode);
    } finally {
      if (clock !== undefined) await clock.sleep(this.lineMs(r.fc, r.start, r.count));
    }
    c.responses++;
    return result;
  }

  private lineMs(fc: number, start: number, count: number): number {
    const words = fc === 0x03 || fc === 0x04 ? count : 1;
    const plan = { transactions: [{ begin: start, length: words, registers: [] }], words };
    return readPlanTimeUs(plan, this.baudRate) / 1000;
  }
}

/** A zone from a preset at a constant load (default 60 % of rating), stepped 100 ms. */
export function simZone(preset = 'orv3-hpr-33kw', loadFraction = 0.6, socPct = 100): SimZone {
  const { bbu, ...zone } = ZONE_PRESETS[preset]!;
  const loadW = loadFraction * zone.psuRatedW * zone.psusPerShelf * zone.shelves;
  const z = new SimZone({
    zone,
    physics: DEFAULT_PHYSICS,
    bbuOverrides: bbu ?? {},
    grid: new GridSource({ nominalVac: 277, frequencyHz: 60, events: [] }),
    load: {
      powerAt: () => loadW,
      nextBreakS: () => Infinity,
      meanW: loadW,
      peakW: loadW,
      description: 'test',
    },
    seed: 1,
    initialSocPct: socPct,
  });
  z.advanceTo(100_000);
  return z;
}

export interface Shelf {
  readonly zone: SimZone;
  readonly dir: DeviceDirectory;
  readonly modbus: FakeModbusClient;
  /** Steps the physics (and due device actions) by `ms`. */
  step(ms: number): void;
}

/** One shelf's zone, its directory and a fake Modbus line over it. */
export function shelf(preset = 'orv3-hpr-33kw', opts: FakeModbusOptions = {}, socPct = 100): Shelf {
  const zone = simZone(preset, 0.6, socPct);
  const dir = new DeviceDirectory(zone, { maps });
  const baudRate = zone.spec.family === 'hpr' ? 115200 : 19200;
  const modbus = new FakeModbusClient((u) => dir.modbus(u), { baudRate, ...opts });
  return { zone, dir, modbus, step: (ms) => dir.advanceTo(zone.tUs + ms * 1000) };
}

export { simulatedPmbus, simulatedRtu } from '../../src/simlink/index.js';
