/**
 * A synthetic HPR shelf for bench:fleet: one gateway's TelemetrySource without a bus behind it.
 * 6 PSUs + 6 BBUs + the shelf, named and shaped by the gateway's own metric builders
 * (src/gateway psuMetrics/bbuMetrics, alarm bits from the HPR register maps), so births carry
 * the same ~700 metrics a real gateway announces. Analogue values random-walk a little every
 * read so the deadbands below have real work: some metrics cross them every period, some rarely.
 * Every metric is stamped with the read time, so the consumer's latency is sample → receipt.
 */
import type { BbuTelemetry, FlagRegisters, PsuTelemetry } from '../../src/devices/index.js';
import { bbuMetrics, psuMetrics } from '../../src/gateway/index.js';
import type {
  DeadbandRule,
  DeviceSnapshot,
  MetricSample,
  TelemetrySource,
} from '../../src/north/mqtt/index.js';
import { loadBuiltinMaps, type ModbusRegisterMap } from '../../src/regmap/index.js';
import { BBU_ALARMS } from '../../src/devices/bbu-telemetry.js';
import { PSU_ALARMS } from '../../src/devices/psu-telemetry.js';

/**
 * Deadbands as a deployment would set them (none ship as defaults yet): electrical noise within
 * a meter's accuracy and slow thermal drift are not news. Without rules every wiggle of every
 * analogue value is reported, which measures the codec rather than report by exception.
 */
export const BENCH_DEADBANDS: readonly DeadbandRule[] = [
  { pattern: '*Voltage', absolute: 0.1 },
  { pattern: '*Current', relative: 0.01 },
  { pattern: '*Power', relative: 0.005 },
  { pattern: 'Input/Frequency', absolute: 0.05 },
  { pattern: 'Thermal/*', absolute: 0.5 },
  { pattern: 'Charge/*', absolute: 0.5 },
  { pattern: 'Lanes/Fast Hz', absolute: 1 },
];

export const PSUS_PER_SHELF = 6;
export const BBUS_PER_SHELF = 6;
/** PSUs + BBUs + the shelf device. */
export const DEVICES_PER_SHELF = PSUS_PER_SHELF + BBUS_PER_SHELF + 1;

/** mulberry32: a seeded generator, so every run (and every gateway) walks the same way. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A bounded random walk around a nominal value. */
class Walk {
  private v: number;
  constructor(
    private readonly nominal: number,
    private readonly range: number,
    private readonly step: number,
  ) {
    this.v = nominal;
  }
  next(r: () => number): number {
    const lo = this.nominal - this.range;
    const hi = this.nominal + this.range;
    this.v = Math.min(hi, Math.max(lo, this.v + (r() - 0.5) * 2 * this.step));
    return this.v;
  }
}

function quietAlarms(map: ModbusRegisterMap, names: readonly string[]): FlagRegisters {
  const out: Record<string, Record<string, boolean>> = {};
  for (const n of names) {
    const def = map.byName.get(n);
    if (def) out[n] = Object.fromEntries(def.flags.map((f) => [f.name, false]));
  }
  return out;
}

const identity = (model: string, unit: number) => ({
  manufacturer: 'bench',
  model,
  serial: `BENCH${unit}`,
  partNumber: 'BENCH',
  date: '2025-01-01',
  hwRevision: 'A',
  fwRevision: '1.0',
});

interface PsuState {
  readonly unit: number;
  readonly vin: Walk;
  readonly load: Walk;
  readonly vout: Walk;
  readonly freq: Walk;
  readonly inlet: Walk;
}

interface BbuState {
  readonly unit: number;
  readonly pack: Walk;
  readonly current: Walk;
  readonly bus: Walk;
}

export class SyntheticShelf implements TelemetrySource {
  private readonly r: () => number;
  private readonly psus: PsuState[] = [];
  private readonly bbus: BbuState[] = [];
  private readonly psuAlarms: FlagRegisters;
  private readonly bbuAlarms: FlagRegisters;
  private readonly fastHz = new Walk(1000, 2, 0.4);
  private readonly startedAtMs: number;
  private lastOutW = 0;
  private lastInW = 0;
  private lastBusV = 50;

  /** `stamp` gives Unix ms for the sample timestamps; `seed` makes each gateway walk differently. */
  constructor(
    private readonly stamp: () => number,
    seed: number,
  ) {
    this.r = rng(seed);
    const maps = loadBuiltinMaps().modbus;
    const psuMap = maps['hpr-psu'];
    const bbuMap = maps['hpr-bbu'];
    this.psuAlarms = quietAlarms(psuMap, PSU_ALARMS);
    this.bbuAlarms = quietAlarms(bbuMap, BBU_ALARMS);
    // One address per slot range, as discovery would find a full shelf.
    for (let i = 0; i < PSUS_PER_SHELF; i++) {
      this.psus.push({
        unit: psuMap.addressRanges[i]![0],
        vin: new Walk(230, 3, 0.3),
        load: new Walk(3000, 150, 25),
        vout: new Walk(50, 0.1, 0.03),
        freq: new Walk(50, 0.1, 0.02),
        inlet: new Walk(27, 2, 0.1),
      });
    }
    for (let i = 0; i < BBUS_PER_SHELF; i++) {
      this.bbus.push({
        unit: bbuMap.addressRanges[i]![0],
        pack: new Walk(53, 0.3, 0.05),
        current: new Walk(0.5, 0.3, 0.02),
        bus: new Walk(50, 0.1, 0.03),
      });
    }
    this.startedAtMs = stamp();
  }

  nodeMetrics(): readonly MetricSample[] {
    const at = Math.round(this.stamp());
    const hz = this.fastHz.next(this.r);
    // The same node metrics as Gateway.nodeMetrics(): uptime moves every period (an NDATA each).
    return [
      {
        name: 'Gateway/Uptime',
        type: 'Double',
        value: (at - this.startedAtMs) / 1000,
        timestampMs: at,
        unit: 's',
      },
      {
        name: 'Devices/Live',
        type: 'Int64',
        value: PSUS_PER_SHELF + BBUS_PER_SHELF,
        timestampMs: at,
      },
      { name: 'Devices/Dormant', type: 'Int64', value: 0, timestampMs: at },
      { name: 'Lanes/Fast Hz', type: 'Double', value: hz, timestampMs: at, unit: 'Hz' },
      { name: 'Lanes/Slow Errors', type: 'Int64', value: 0, timestampMs: at },
      { name: 'Node Control/Power Cap W', type: 'Double', value: null, timestampMs: at, unit: 'W' },
    ];
  }

  devices(): readonly DeviceSnapshot[] {
    // Integer ms: Sparkplug timestamps are uint64 ms. Rounding (not flooring) the fine clock
    // keeps the latency error within ±0.5 ms and unbiased.
    const at = Math.round(this.stamp());
    const epoch = (t: number): number => t;
    const out: DeviceSnapshot[] = [];
    let inW = 0;
    let outW = 0;
    for (const p of this.psus) {
      const t = this.psu(p, at);
      inW += t.input.powerW;
      outW += t.output.powerW;
      out.push({ id: `psu-${p.unit}`, kind: 'psu', online: true, metrics: psuMetrics(t, epoch) });
    }
    let busV = 0;
    for (const b of this.bbus) {
      const t = this.bbu(b, at);
      busV += t.bus.voltageV / this.bbus.length;
      out.push({ id: `bbu-${b.unit}`, kind: 'bbu', online: true, metrics: bbuMetrics(t, epoch) });
    }
    this.lastInW = inW;
    this.lastOutW = outW;
    this.lastBusV = busV;
    out.push({ id: 'shelf-0', kind: 'shelf', online: true, metrics: this.shelfMetrics(at) });
    return out;
  }

  private shelfMetrics(at: number): MetricSample[] {
    // The same names and units as Gateway.deviceSnapshots() gives the shelf device.
    return [
      { name: 'Bus/Voltage', type: 'Double', value: this.lastBusV, timestampMs: at, unit: 'V' },
      { name: 'Input/Power', type: 'Double', value: this.lastInW, timestampMs: at, unit: 'W' },
      { name: 'Output/Power', type: 'Double', value: this.lastOutW, timestampMs: at, unit: 'W' },
      { name: 'BBU/Min SoC', type: 'Double', value: 100, timestampMs: at, unit: '%' },
      { name: 'BBU/Discharging', type: 'Int64', value: 0, timestampMs: at },
    ];
  }

  private psu(p: PsuState, at: number): PsuTelemetry {
    const r = this.r;
    const outW = p.load.next(r);
    const vout = p.vout.next(r);
    const vin = p.vin.next(r);
    const inW = outW / 0.975;
    const inlet = p.inlet.next(r);
    return {
      kind: 'psu',
      family: 'hpr-psu',
      unit: p.unit,
      identity: identity('HPR-PSU', p.unit),
      input: {
        sampledAtMs: at,
        voltageV: vin,
        currentA: inW / vin,
        powerW: inW,
        frequencyHz: p.freq.next(r),
        powerFactor: 0.99,
        ithdPct: 3,
      },
      output: { sampledAtMs: at, voltageV: vout, currentA: outW / vout, powerW: outW, bulkV: 400 },
      thermal: {
        sampledAtMs: at,
        inletC: inlet,
        outletC: inlet + outW / 200,
        maxC: inlet + 20,
        minC: inlet,
        fanRpm: [9000, 9000],
      },
      counters: { sampledAtMs: at, acPowerCycles: 1, acOutages: 0, faults: 0 },
      alarms: { sampledAtMs: at, registers: this.psuAlarms, active: [] },
      settings: { sampledAtMs: at, select51V: null, voutSetpointV: 50, writeEnabled: false },
    };
  }

  private bbu(b: BbuState, at: number): BbuTelemetry {
    const r = this.r;
    return {
      kind: 'bbu',
      family: 'hpr-bbu',
      unit: b.unit,
      identity: identity('HPR-BBU', b.unit),
      charge: {
        sampledAtMs: at,
        socPct: 100,
        absoluteSocPct: 100,
        remainingAh: 80,
        fullChargeAh: 80,
        runTimeToEmptyS: null,
        averageTimeToEmptyS: null,
      },
      pack: {
        sampledAtMs: at,
        voltageV: b.pack.next(r),
        currentA: b.current.next(r),
        averageCurrentA: 0.5,
      },
      bus: { sampledAtMs: at, voltageV: b.bus.next(r) },
      thermal: {
        sampledAtMs: at,
        cellTempsC: [25, 25, 25, 25],
        inletC: 27,
        outletC: 29,
        fanRpm: 4000,
      },
      status: {
        sampledAtMs: at,
        charging: false,
        discharging: false,
        fullyCharged: true,
        fullyDischarged: false,
        systemControlEnabled: false,
        flags: {},
      },
      alarms: { sampledAtMs: at, registers: this.bbuAlarms, active: [] },
      counters: { sampledAtMs: at, cycles: 3, dischargeEvents: 0 },
      control: {
        sampledAtMs: at,
        systemControlMode: 0,
        forcedDischargeRemainingS: 0,
        maxDischargeTimeS: 0,
      },
    };
  }
}
