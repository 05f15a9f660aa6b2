/**
 * Watches the gateway's telemetry on the gateway clock (every `periodMs`) and turns what it
 * sees into Redfish facts: Power registry events (PSU failed/restored, loss of input power,
 * threshold crossings of bus voltage, PSU input voltage and shelf power), energy integrals
 * and peak readings. It reads only what the gateway polled, so an event follows the shelf by
 * at most one slow-lane sweep plus one monitor period.
 */
import type { Clock, TimerHandle } from '../../../clock/index.js';
import type { Gateway } from '../../../gateway/index.js';
import { psuCondition, type LineStatus } from '../health.js';
import type { AnyMessageKey } from '../messages.js';
import type { ShelfModel, ShelfView } from '../model.js';
import { psuUri, readingsOf, sensorUri, type SensorDef } from '../readings.js';
import type { EventBus } from './event-service.js';

type Band = -2 | -1 | 0 | 1 | 2;

function bandOf(v: number, d: SensorDef): Band {
  const t = d.thresholds!;
  if (t.LowerCritical !== undefined && v < t.LowerCritical) return -2;
  if (t.LowerCaution !== undefined && v < t.LowerCaution) return -1;
  if (t.UpperCritical !== undefined && v > t.UpperCritical) return 2;
  if (t.UpperCaution !== undefined && v > t.UpperCaution) return 1;
  return 0;
}

const BAND_MESSAGES: Record<'Voltage' | 'Power', Partial<Record<Band, AnyMessageKey>>> = {
  Voltage: {
    [-2]: 'Power.VoltageBelowLowerCriticalThreshold',
    [-1]: 'Power.VoltageBelowLowerCautionThreshold',
    [1]: 'Power.VoltageAboveUpperCautionThreshold',
    [2]: 'Power.VoltageAboveUpperCriticalThreshold',
    0: 'Power.VoltageNormal',
  },
  Power: {
    [1]: 'Power.PowerAboveUpperCautionThreshold',
    [2]: 'Power.PowerAboveUpperCriticalThreshold',
    0: 'Power.PowerNormal',
  },
};

const thresholdOf = (d: SensorDef, b: Band): number | undefined => {
  const t = d.thresholds!;
  return b === -2
    ? t.LowerCritical
    : b === -1
      ? t.LowerCaution
      : b === 1
        ? t.UpperCaution
        : t.UpperCritical;
};

/** Power sensors whose energy is integrated (kWh properties of Circuits and Metrics). */
const ENERGY_SENSORS: readonly string[] = ['ShelfInputPower', 'BusPower'];

export interface Peak {
  readonly value: number;
  readonly atEpochMs: number;
}

export class Monitor {
  private timer: TimerHandle | undefined;
  private lastMs: number | undefined;
  private readonly psuFailed = new Map<string, boolean>();
  private readonly psuLine = new Map<string, LineStatus>();
  private readonly bands = new Map<string, Band>();
  private readonly energyWh = new Map<string, number>();
  private readonly energyResetEpochMs = new Map<ShelfView['id'], number>();
  private readonly peaks = new Map<string, Peak>();
  private lastCap: number | null | undefined;
  private capChangedAt: number | undefined;
  /** Ticks run and events published, for tests and diagnostics. */
  ticks = 0;

  constructor(
    private readonly clock: Clock,
    private readonly gateway: Gateway,
    private readonly model: ShelfModel,
    private readonly bus: EventBus,
    readonly periodMs = 100,
  ) {}

  start(): void {
    this.timer ??= this.clock.setInterval(() => this.tick(), this.periodMs);
  }

  stop(): void {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Energy through a power sensor (ShelfInputPower, BusPower) since start or reset, kWh. */
  energyKWh(s: ShelfView, sensorId = 'ShelfInputPower'): number {
    return (this.energyWh.get(sensorUri(s, sensorId)) ?? 0) / 1000;
  }

  energySinceEpochMs(s: ShelfView): number | undefined {
    return this.energyResetEpochMs.get(s.id);
  }

  /** ResetMetrics: energy and peaks of a shelf start again from now. */
  resetEnergy(s: ShelfView): void {
    for (const id of ENERGY_SENSORS) this.energyWh.set(sensorUri(s, id), 0);
    this.energyResetEpochMs.set(s.id, this.clock.epochMs());
    for (const k of [...this.peaks.keys()])
      if (k.startsWith(`/redfish/v1/Chassis/${s.chassisId}/`)) this.peaks.delete(k);
  }

  peak(sensorUri: string): Peak | undefined {
    return this.peaks.get(sensorUri);
  }

  capChangedEpochMs(): number | undefined {
    return this.capChangedAt;
  }

  /** One observation of everything the gateway holds (public for tests). */
  tick(): void {
    this.ticks++;
    const now = this.clock.nowMs();
    const dtH = this.lastMs === undefined ? 0 : (now - this.lastMs) / 3_600_000;
    this.lastMs = now;
    const cap = this.gateway.commands.powerCapW;
    if (this.lastCap !== undefined && cap !== this.lastCap)
      this.capChangedAt = this.clock.epochMs();
    this.lastCap = cap;
    const shelves = this.model.shelves();
    for (const s of shelves) {
      const r = readingsOf(this.gateway, s, shelves);
      for (const d of r.sensors) {
        const v = d.read();
        if (v.value === null) continue;
        const uri = sensorUri(s, d.id);
        if (d.type === 'Power') {
          const p = this.peaks.get(uri);
          if (!p || v.value > p.value)
            this.peaks.set(uri, { value: v.value, atEpochMs: v.atEpochMs ?? this.clock.epochMs() });
          if (ENERGY_SENSORS.includes(d.id)) {
            if (!this.energyResetEpochMs.has(s.id))
              this.energyResetEpochMs.set(s.id, this.clock.epochMs());
            this.energyWh.set(uri, (this.energyWh.get(uri) ?? 0) + v.value * dtH);
          }
        }
        if (d.thresholds && (d.type === 'Voltage' || d.type === 'Power'))
          this.crossing(uri, d, v.value);
      }
      for (const m of s.psus) {
        const c = psuCondition(this.gateway, m);
        const origin = { uri: psuUri(m), type: 'PowerSupply' };
        const label = `${s.chassisId} ${m.id}`;
        const wasFailed = this.psuFailed.get(m.deviceId);
        if (wasFailed !== undefined && c.failed !== wasFailed)
          this.bus.publish(
            c.failed ? 'Power.PowerSupplyFailed' : 'Power.PowerSupplyRestored',
            [label],
            origin,
          );
        this.psuFailed.set(m.deviceId, c.failed);
        if (c.line === 'Unknown') continue;
        const wasLine = this.psuLine.get(m.deviceId);
        if (wasLine !== undefined && (wasLine === 'LossOfInput') !== (c.line === 'LossOfInput'))
          this.bus.publish(
            c.line === 'LossOfInput' ? 'Power.LossOfInputPower' : 'Power.LineInputPowerRestored',
            [label],
            origin,
          );
        this.psuLine.set(m.deviceId, c.line);
      }
    }
  }

  private crossing(uri: string, d: SensorDef, v: number): void {
    const band = bandOf(v, d);
    const was = this.bands.get(uri);
    this.bands.set(uri, band);
    if (was === undefined || was === band) return;
    const key = BAND_MESSAGES[d.type as 'Voltage' | 'Power'][band];
    if (!key) return;
    const value = Math.round(v * 100) / 100;
    const origin = { uri, type: 'Sensor' };
    if (band === 0) this.bus.publish(key, [d.id, value], origin);
    else this.bus.publish(key, [d.id, value, thresholdOf(d, band) ?? 0], origin);
  }
}
