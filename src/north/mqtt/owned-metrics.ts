/**
 * Metrics the edge node owns and merges into what the TelemetrySource reports: command echoes
 * (power cap, Locate, Self Test), `Last Command/Result` and the counters. They travel through the
 * same deadband filter as telemetry, so an acknowledgement is simply "the value changed" in the
 * next DATA message. When the source itself reports a metric of the same name (the measured
 * state), the source wins: it knows better than our echo.
 */
import type { Clock } from '../../clock/index.js';
import { DeviceMetric, NodeMetric, deviceControlNames } from './metrics-model.js';
import type { DeviceSnapshot, MetricSample, TelemetrySource } from './source.js';

export interface Snapshot {
  readonly node: readonly MetricSample[];
  readonly devices: readonly DeviceSnapshot[];
}

export type Counter = 'accepted' | 'rejected' | 'malformed' | 'hintsAccepted' | 'hintsRejected';

const COUNTER_METRIC: Readonly<Record<Counter, string>> = {
  accepted: NodeMetric.accepted,
  rejected: NodeMetric.rejected,
  malformed: NodeMetric.malformed,
  hintsAccepted: NodeMetric.hintsAccepted,
  hintsRejected: NodeMetric.hintsRejected,
};

interface Stamped<T> {
  value: T;
  ts: number;
}

interface DeviceControl extends Stamped<boolean> {
  /** Self Test is an action, not a state: it reads true once after a run, then false again. */
  momentary: boolean;
  shown: boolean;
}

export class OwnedMetrics {
  private readonly powerCap: Stamped<number | null>;
  private readonly lastResult: Stamped<string>;
  private readonly counters: Record<Counter, Stamped<number>>;
  private readonly storeDropped: Stamped<number> | null;
  private readonly devices = new Map<string, Map<string, DeviceControl>>();

  constructor(
    private readonly clock: Clock,
    withStore: boolean,
  ) {
    const t = clock.epochMs();
    this.powerCap = { value: null, ts: t };
    this.lastResult = { value: '', ts: t };
    this.counters = {
      accepted: { value: 0, ts: t },
      rejected: { value: 0, ts: t },
      malformed: { value: 0, ts: t },
      hintsAccepted: { value: 0, ts: t },
      hintsRejected: { value: 0, ts: t },
    };
    this.storeDropped = withStore ? { value: 0, ts: t } : null;
  }

  count(c: Counter): number {
    return this.counters[c].value;
  }

  bump(c: Counter): void {
    this.counters[c] = { value: this.counters[c].value + 1, ts: this.clock.epochMs() };
  }

  setResult(text: string): void {
    this.lastResult.value = text;
    this.lastResult.ts = this.clock.epochMs();
  }

  setPowerCap(watts: number | null): void {
    this.powerCap.value = watts;
    this.powerCap.ts = this.clock.epochMs();
  }

  setStoreDropped(n: number): void {
    if (this.storeDropped && this.storeDropped.value !== n) {
      this.storeDropped.value = n;
      this.storeDropped.ts = this.clock.epochMs();
    }
  }

  setDevice(deviceId: string, name: string, value: boolean): void {
    let m = this.devices.get(deviceId);
    if (!m) this.devices.set(deviceId, (m = new Map()));
    m.set(name, {
      value,
      ts: this.clock.epochMs(),
      momentary: name === DeviceMetric.selfTest && value,
      shown: false,
    });
  }

  /** Reads the source once and merges the owned metrics in. */
  snapshot(source: TelemetrySource): Snapshot {
    const node = [...source.nodeMetrics()];
    const have = new Set(node.map((s) => s.name));
    for (const s of this.nodeSamples()) if (!have.has(s.name)) node.push(s);
    const devices = source.devices().map((d) => this.withControls(d));
    return { node, devices };
  }

  private nodeSamples(): MetricSample[] {
    const out: MetricSample[] = [
      {
        name: NodeMetric.powerCap,
        type: 'Double',
        value: this.powerCap.value,
        timestampMs: this.powerCap.ts,
        unit: 'W',
      },
      {
        name: NodeMetric.lastResult,
        type: 'String',
        value: this.lastResult.value,
        timestampMs: this.lastResult.ts,
      },
    ];
    for (const c of Object.keys(COUNTER_METRIC) as Counter[]) {
      const v = this.counters[c];
      out.push({
        name: COUNTER_METRIC[c],
        type: 'UInt64',
        value: BigInt(v.value),
        timestampMs: v.ts,
      });
    }
    if (this.storeDropped) {
      const v = this.storeDropped;
      out.push({
        name: NodeMetric.storeDropped,
        type: 'UInt64',
        value: BigInt(v.value),
        timestampMs: v.ts,
      });
    }
    return out;
  }

  private withControls(d: DeviceSnapshot): DeviceSnapshot {
    const names = deviceControlNames(d.kind);
    if (names.length === 0) return d;
    const have = new Set(d.metrics.map((s) => s.name));
    const extra: MetricSample[] = [];
    for (const name of names) {
      if (have.has(name)) continue;
      const c = this.control(d.id, name);
      extra.push({ name, type: 'Boolean', value: c.value, timestampMs: c.ts });
    }
    return extra.length === 0 ? d : { ...d, metrics: [...d.metrics, ...extra] };
  }

  private control(deviceId: string, name: string): DeviceControl {
    let m = this.devices.get(deviceId);
    if (!m) this.devices.set(deviceId, (m = new Map()));
    let c = m.get(name);
    if (!c) {
      c = { value: false, ts: this.clock.epochMs(), momentary: false, shown: false };
      m.set(name, c);
    } else if (c.momentary && c.shown) {
      c.value = false;
      c.ts = this.clock.epochMs();
      c.momentary = false;
    }
    c.shown = true;
    return c;
  }
}
