import type { ModbusClient } from '../bus/modbus/client.js';
import type { PmbusClient } from '../bus/pmbus/client.js';
import { ErrorCode, Orv3Error } from '../errors.js';
import type { Bbu } from './bbu.js';
import type { FastPointName } from './fast-points.js';
import { readPlanTimeUs, wordReadsTimeUs } from './line-time.js';
import type { Psu } from './psu.js';

export type Driver = Psu | Bbu;

/** Default fast-lane period: 1 kHz. */
export const FAST_PERIOD_MS = 1;
export type Lane = 'slow' | 'fast';

/** One fast-lane quantity of one device, as the poller reads and publishes it. */
export interface FastPoint {
  /** Key under which the value is published, e.g. `psu144.acInputV`. */
  readonly id: string;
  readonly device: Driver;
  readonly point: FastPointName;
}

/** What one lane asks of one bus per period. */
export interface BusLoad {
  readonly lane: Lane;
  /** e.g. `modbus#0 (rtu, 19200 baud)` or `pmbus#1 (1000 kHz)`. */
  readonly bus: string;
  readonly periodMs: number;
  readonly transactions: number;
  /** Modelled line time of one period's work, ms. */
  readonly busyMs: number;
  /** busyMs / periodMs. */
  readonly utilisation: number;
  readonly cap: number;
  /** Shortest period this bus could sustain under the cap, ms. */
  readonly minPeriodMs: number;
}

export interface ScheduleReport {
  readonly loads: readonly BusLoad[];
  readonly feasible: boolean;
}

export interface ScheduleInput {
  readonly slow?: { readonly devices: readonly Driver[]; readonly periodMs: number };
  /** periodMs default FAST_PERIOD_MS (1 kHz, the control loop's rate). */
  readonly fast?: { readonly points: readonly FastPoint[]; readonly periodMs?: number };
  /** Largest share of a bus's time a schedule may take (default 0.9): the rest is for commands,
   * discovery re-probes and retries. */
  readonly utilisationCap?: number;
  /** Modbus device turnaround for the accounting, µs (default: the RTU model's). */
  readonly turnaroundUs?: number;
}

function groupBy<K, V>(items: readonly V[], key: (v: V) => K): Map<K, V[]> {
  const m = new Map<K, V[]>();
  for (const v of items) {
    const k = key(v);
    const list = m.get(k);
    if (list === undefined) m.set(k, [v]);
    else list.push(v);
  }
  return m;
}

function load(
  lane: Lane,
  bus: string,
  periodMs: number,
  transactions: number,
  busyUs: number,
  cap: number,
): BusLoad {
  const busyMs = busyUs / 1000;
  return Object.freeze({
    lane,
    bus,
    periodMs,
    transactions,
    busyMs,
    utilisation: busyMs / periodMs,
    cap,
    minPeriodMs: busyMs / cap,
  });
}

/** Per-bus line time of a schedule: slow lane per Modbus client, fast lane per PMBus client. */
export function planSchedule(input: ScheduleInput): ScheduleReport {
  const cap = input.utilisationCap ?? 0.9;
  if (!(cap > 0 && cap <= 1)) {
    throw new Orv3Error(ErrorCode.ConfigInvalid, `utilisation cap ${cap} is not in (0, 1]`);
  }
  const loads: BusLoad[] = [];
  if (input.slow !== undefined) {
    const { devices, periodMs } = input.slow;
    checkPeriod('slow', periodMs);
    let i = 0;
    for (const [client, devs] of groupBy<ModbusClient, Driver>(devices, (d) => d.modbus)) {
      let us = 0;
      let tx = 0;
      for (const d of devs) {
        us += readPlanTimeUs(d.telemetryPlan, client.baudRate, input.turnaroundUs);
        tx += d.telemetryPlan.transactions.length;
      }
      const name = `modbus#${i++} (${client.transport}, ${client.baudRate} baud)`;
      loads.push(load('slow', name, periodMs, tx, us, cap));
    }
  }
  if (input.fast !== undefined) {
    const { points, periodMs = FAST_PERIOD_MS } = input.fast;
    checkPeriod('fast', periodMs);
    let i = 0;
    for (const [client, pts] of groupBy<PmbusClient, FastPoint>(points, (p) => fastClient(p))) {
      const us = wordReadsTimeUs(pts.length, client.clockHz);
      const name = `pmbus#${i++} (${client.clockHz / 1000} kHz)`;
      loads.push(load('fast', name, periodMs, pts.length, us, cap));
    }
  }
  return Object.freeze({
    loads: Object.freeze(loads),
    feasible: loads.every((l) => l.utilisation <= l.cap),
  });
}

/** Throws ScheduleOverCapacity naming every bus over the cap, with its numbers. */
export function assertFeasible(report: ScheduleReport): void {
  const over = report.loads.filter((l) => l.utilisation > l.cap);
  if (over.length === 0) return;
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const lines = over.map(
    (l) =>
      `${l.lane} lane on ${l.bus}: ${l.transactions} transactions = ${l.busyMs.toFixed(2)} ms of ` +
      `line time per ${l.periodMs} ms period (${pct(l.utilisation)} > cap ${pct(l.cap)}); ` +
      `shortest feasible period ${l.minPeriodMs.toFixed(2)} ms`,
  );
  throw new Orv3Error(
    ErrorCode.ScheduleOverCapacity,
    `schedule over bus capacity: ${lines.join('; ')}`,
    {
      over,
    },
  );
}

function fastClient(p: FastPoint): PmbusClient {
  const c = p.device.pmbusClient;
  if (c === undefined) {
    throw new Orv3Error(ErrorCode.ConfigInvalid, `fast point ${p.id}: device has no PMBus link`, {
      point: p.id,
    });
  }
  return c;
}

function checkPeriod(lane: Lane, periodMs: number): void {
  if (!(periodMs > 0) || !Number.isFinite(periodMs)) {
    throw new Orv3Error(ErrorCode.ConfigInvalid, `${lane} lane period ${periodMs} ms is not > 0`);
  }
}

/**
 * The control points of DESIGN §2: the bus voltage once per PMBus segment (from a BBU when
 * there is one, else a PSU), and every PSU's AC input voltage and output current.
 */
export function defaultFastPoints(devices: readonly Driver[]): FastPoint[] {
  const withLane = devices.filter((d) => d.pmbusClient !== undefined);
  const points: FastPoint[] = [];
  for (const [, devs] of groupBy(withLane, (d) => d.pmbusClient)) {
    const source = devs.find((d) => d.kind === 'bbu') ?? devs[0]!;
    points.push({ id: `${source.kind}${source.unit}.busV`, device: source, point: 'busV' });
    for (const d of devs) {
      if (d.kind !== 'psu') continue;
      points.push({ id: `psu${d.unit}.acInputV`, device: d, point: 'acInputV' });
      points.push({ id: `psu${d.unit}.outputA`, device: d, point: 'outputA' });
    }
  }
  return points;
}
