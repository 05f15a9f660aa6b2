import type { BbuTelemetry, PsuTelemetry } from '../devices/index.js';
import type { MetricSample } from '../north/mqtt/source.js';

/**
 * Device telemetry (SI, from the poller) → named metrics for the north side. One list per
 * device kind, so the Sparkplug births, the Redfish sensors and the status line agree on names
 * and units. `toEpoch` turns the poller's monotonic sample times into Unix ms.
 */
type Epoch = (monoMs: number) => number;

const num = (name: string, value: number | null, at: number, unit?: string): MetricSample => ({
  name,
  type: 'Double',
  value: value === null || !Number.isFinite(value) ? null : value,
  timestampMs: at,
  ...(unit === undefined ? {} : { unit }),
});
const int = (name: string, value: number, at: number): MetricSample => ({
  name,
  type: 'Int64',
  value: Math.round(value),
  timestampMs: at,
});
const bool = (name: string, value: boolean, at: number): MetricSample => ({
  name,
  type: 'Boolean',
  value,
  timestampMs: at,
});

function alarmMetrics(
  active: readonly string[],
  registers: PsuTelemetry['alarms']['registers'],
  at: number,
) {
  const out: MetricSample[] = [];
  for (const [reg, bits] of Object.entries(registers))
    for (const [bit, on] of Object.entries(bits)) out.push(bool(`Alarms/${reg}/${bit}`, on, at));
  out.push(int('Alarms/Active Count', active.length, at));
  return out;
}

export function psuMetrics(t: PsuTelemetry, toEpoch: Epoch): MetricSample[] {
  const i = toEpoch(t.input.sampledAtMs);
  const o = toEpoch(t.output.sampledAtMs);
  const th = toEpoch(t.thermal.sampledAtMs);
  const c = toEpoch(t.counters.sampledAtMs);
  return [
    num('Input/Voltage', t.input.voltageV, i, 'V'),
    num('Input/Current', t.input.currentA, i, 'A'),
    num('Input/Power', t.input.powerW, i, 'W'),
    num('Input/Frequency', t.input.frequencyHz, i, 'Hz'),
    num('Output/Voltage', t.output.voltageV, o, 'V'),
    num('Output/Current', t.output.currentA, o, 'A'),
    num('Output/Power', t.output.powerW, o, 'W'),
    num('Output/Bulk Voltage', t.output.bulkV, o, 'V'),
    num('Thermal/Inlet', t.thermal.inletC, th, 'Cel'),
    num('Thermal/Outlet', t.thermal.outletC, th, 'Cel'),
    int('Counters/AC Outages', t.counters.acOutages, c),
    int('Counters/Faults', t.counters.faults, c),
    ...alarmMetrics(t.alarms.active, t.alarms.registers, toEpoch(t.alarms.sampledAtMs)),
  ];
}

export function bbuMetrics(t: BbuTelemetry, toEpoch: Epoch): MetricSample[] {
  const ch = toEpoch(t.charge.sampledAtMs);
  const p = toEpoch(t.pack.sampledAtMs);
  const s = toEpoch(t.status.sampledAtMs);
  return [
    num('Charge/SoC', t.charge.socPct, ch, '%'),
    num('Charge/Remaining', t.charge.remainingAh, ch, 'A.h'),
    num('Charge/Run Time To Empty', t.charge.runTimeToEmptyS, ch, 's'),
    num('Pack/Voltage', t.pack.voltageV, p, 'V'),
    num('Pack/Current', t.pack.currentA, p, 'A'),
    num('Bus/Voltage', t.bus.voltageV, toEpoch(t.bus.sampledAtMs), 'V'),
    bool('Status/Charging', t.status.charging, s),
    bool('Status/Discharging', t.status.discharging, s),
    bool('Status/Fully Charged', t.status.fullyCharged, s),
    int('Control/System Control Mode', t.control.systemControlMode, toEpoch(t.control.sampledAtMs)),
    int('Counters/Discharge Events', t.counters.dischargeEvents, toEpoch(t.counters.sampledAtMs)),
    ...alarmMetrics(t.alarms.active, t.alarms.registers, toEpoch(t.alarms.sampledAtMs)),
  ];
}
