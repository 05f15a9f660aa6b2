/**
 * devices: PSU and BBU drivers (typed SI snapshots, bounds-checked commands, time sync, fast
 * lane over PMBus), discovery and the live/dormant registry, and the two-lane poller that
 * refuses schedules the buses cannot carry. Depends on bus (client interfaces), protocol
 * (timing models), regmap and clock. To fake it, hand the drivers any ModbusClient/PmbusClient
 * (test/support/fake-buses.ts wraps the simulator's register façade). See docs/DEVICES.md.
 */
export { Psu, POWER_CYCLE_GUARD_MS } from './psu.js';
export type { PsuFastSample } from './psu.js';
export { Bbu } from './bbu.js';
export type { BbuFastSample, BbuOptions } from './bbu.js';
export type { PsuTelemetry } from './psu-telemetry.js';
export type { BbuTelemetry } from './bbu-telemetry.js';
export type {
  AlarmGroup,
  DeviceIdentity,
  DriverOptions,
  FlagRegisters,
  Stamped,
  TimeSyncHandle,
} from './types.js';
export { ModbusDriver } from './driver-base.js';
export { BBU_FAST_POINTS, PSU_FAST_POINTS, fastPointCommand } from './fast-points.js';
export type { BbuFastPoint, FastPointName, PsuFastPoint } from './fast-points.js';
export { PmbusEndpoint } from './pmbus-endpoint.js';
export type { FastLaneLink } from './pmbus-endpoint.js';
export { checkNumericWrite, executeReads, planReads } from './register-io.js';
export type { ReadPlan, ReadTransaction, Sample } from './register-io.js';
export { toSnapshotUnit, SNAPSHOT_UNIT } from './units.js';

export { plausibleProbe, probe, scanBus } from './discovery.js';
export type { FoundDevice, ScanAnomaly, ScanOptions, ScanReport } from './discovery.js';
export { DeviceRegistry, isLinkFailure } from './registry.js';
export type {
  DeviceRecord,
  DeviceState,
  RegistryEvent,
  RegistryListener,
  RegistryOptions,
} from './registry.js';
export { addressSlot, createDriver } from './factory.js';
export type { DeviceRef, FastLaneFor } from './factory.js';

export { readPlanTimeUs, wordReadsTimeUs } from './line-time.js';
export { assertFeasible, defaultFastPoints, FAST_PERIOD_MS, planSchedule } from './schedule.js';
export type {
  BusLoad,
  Driver,
  FastPoint,
  Lane,
  ScheduleInput,
  ScheduleReport,
} from './schedule.js';
export { deviceKey, Poller } from './poller.js';
export type { PollerOptions } from './poller.js';
export { FreshnessStore, LaneStats, Ring } from './freshness.js';
export type { Fresh, LaneStatsSnapshot } from './freshness.js';
