/**
 * What the Sparkplug edge node publishes and whom it tells about commands: small interfaces so
 * the session never reaches into the device layer, and tests feed it synthetic telemetry.
 * The gateway's composition root (src/gateway) implements them over the poller's telemetry.
 */

/** Sparkplug B metric data types we publish (spec §6.4.16). */
export type MetricType =
  'Int32' | 'Int64' | 'UInt32' | 'UInt64' | 'Float' | 'Double' | 'Boolean' | 'String';

export interface MetricSample {
  /** Hierarchical Sparkplug metric name, e.g. `Input/Voltage` or `Alarms/AC_UVP`. */
  readonly name: string;
  readonly type: MetricType;
  /** null = value unknown (stale or unread): published with is_null. */
  readonly value: number | bigint | boolean | string | null;
  /** When the value was sampled (Unix ms, from the Clock). */
  readonly timestampMs: number;
  /** Engineering unit for the birth's property set (e.g. 'V', 'A', 'W', '%'). */
  readonly unit?: string;
}

export interface DeviceSnapshot {
  /** Sparkplug device id: stable, e.g. `psu-144`, `bbu-48`, `shelf-0`. */
  readonly id: string;
  readonly kind: 'psu' | 'bbu' | 'shelf';
  /** false → the device is announced dead (DDEATH) until it comes back (DBIRTH). */
  readonly online: boolean;
  readonly metrics: readonly MetricSample[];
}

export interface TelemetrySource {
  /** Node-level metrics (gateway health: uptime, bus counters, queue depth, …). */
  nodeMetrics(): readonly MetricSample[];
  /** Every device the gateway knows, live or not. */
  devices(): readonly DeviceSnapshot[];
}

/** A workload hint from the scheduler / fleet service (docs/MQTT.md "hints"). */
export interface WorkloadHint {
  /** Expected change of rack power, W (positive = more load). */
  readonly deltaW: number;
  /** When it will happen, ms from receipt. */
  readonly leadMs: number;
  /** How long the change takes to build up, ms (the job's power ramp; omitted = unknown). */
  readonly rampMs?: number;
  /** How long it lasts, ms (omitted = until further notice). */
  readonly durationMs?: number;
  readonly source: string;
  readonly receivedAtMs: number;
}

export type CommandResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** What NCMD/DCMD may ask of the gateway; each call is validated again by the callee. */
export interface CommandSink {
  setPowerCapW(watts: number | null): Promise<CommandResult>;
  locate(deviceId: string, on: boolean): Promise<CommandResult>;
  bbuSelfTest(deviceId: string): Promise<CommandResult>;
  hint(h: WorkloadHint): Promise<CommandResult>;
}
