import type { ModbusClient } from '../bus/modbus/client.js';
import type { Clock, TimerHandle } from '../clock/index.js';
import { ErrorCode, isOrv3Error, Orv3Error } from '../errors.js';
import type { DeviceKind, ModbusRegisterMap } from '../regmap/index.js';
import { probe, scanBus } from './discovery.js';
import type { FoundDevice, ScanOptions, ScanReport } from './discovery.js';

export type DeviceState = 'live' | 'dormant';

export interface DeviceRecord {
  readonly address: number;
  readonly family: string;
  readonly kind: DeviceKind;
  readonly map: ModbusRegisterMap;
  readonly state: DeviceState;
  readonly consecutiveFailures: number;
  readonly failures: number;
  /** Answers that were errors of the device, not of the link (exceptions): it is there. */
  readonly deviceErrors: number;
  readonly recoveries: number;
  readonly lastSeenMs: number | null;
  readonly lastError: string | null;
}

export type RegistryEvent = 'found' | 'lost' | 'recovered';
export type RegistryListener = (device: DeviceRecord) => void;

export interface RegistryOptions {
  /** Consecutive link failures before a device goes dormant (default 3). */
  readonly dormantAfter?: number;
  /** One dormant device is re-probed per period, round robin (default 10 000 ms). */
  readonly reprobePeriodMs?: number;
  /** Probe timeout, ms (default 50). */
  readonly probeTimeoutMs?: number;
  readonly baud?: ScanOptions['baud'];
}

/** Failures that say nothing answered (or nothing intelligible): they count towards dormancy. */
export function isLinkFailure(e: unknown): boolean {
  return isOrv3Error(e) && LINK_FAILURES.has(e.code);
}

const LINK_FAILURES: ReadonlySet<string> = new Set([
  ErrorCode.ModbusTimeout,
  ErrorCode.ModbusCrc,
  ErrorCode.ModbusFrame,
  ErrorCode.TransportIo,
]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The devices of one Modbus line and whether each is live. Whoever talks to a device reports
 * the outcome (`recordSuccess`/`recordFailure`); after `dormantAfter` consecutive link failures
 * a device goes dormant and is only re-probed in the background, one device per period at
 * background priority, so a dead device never costs live traffic more than one probe a period.
 */
export class DeviceRegistry {
  private readonly devices = new Map<number, Mutable<DeviceRecord>>();
  private readonly listeners: Record<RegistryEvent, Set<RegistryListener>> = {
    found: new Set(),
    lost: new Set(),
    recovered: new Set(),
  };
  private readonly dormantAfter: number;
  private readonly reprobePeriodMs: number;
  private readonly probeTimeoutMs: number;
  private timer: TimerHandle | undefined;
  private reprobing = false;
  private cursor = 0;

  constructor(
    readonly client: ModbusClient,
    readonly maps: readonly ModbusRegisterMap[],
    readonly clock: Clock,
    private readonly opts: RegistryOptions = {},
  ) {
    this.dormantAfter = opts.dormantAfter ?? 3;
    this.reprobePeriodMs = opts.reprobePeriodMs ?? 10_000;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 50;
    if (!(this.dormantAfter >= 1) || !(this.reprobePeriodMs > 0)) {
      throw new Orv3Error(ErrorCode.ConfigInvalid, 'dormantAfter ≥ 1 and reprobePeriodMs > 0', {
        ...opts,
      });
    }
  }

  on(event: RegistryEvent, listener: RegistryListener): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  /**
   * Scans the line. New devices are added (found); known dormant ones that answer recover; a
   * known device that stays silent — it vanished, maybe mid-scan — takes one failure and the
   * scan goes on.
   */
  async scan(opts: Omit<ScanOptions, 'timeoutMs' | 'baud'> = {}): Promise<ScanReport> {
    const report = await scanBus(this.client, this.maps, {
      ...opts,
      timeoutMs: this.probeTimeoutMs,
      ...(this.opts.baud === undefined ? {} : { baud: this.opts.baud }),
    });
    const seen = new Set<number>();
    for (const d of report.devices) {
      seen.add(d.address);
      if (this.devices.has(d.address)) this.recordSuccess(d.address);
      else this.add(d);
    }
    const scanned = opts.addresses === undefined ? undefined : new Set(opts.addresses);
    const skipped = new Set(report.skippedFamilies);
    for (const d of this.devices.values()) {
      if (seen.has(d.address) || skipped.has(d.family)) continue;
      if (scanned !== undefined && !scanned.has(d.address)) continue;
      const anomaly = report.anomalies.find((a) => a.address === d.address);
      if (anomaly === undefined) this.fail(d, 'silent during scan');
      else if (LINK_FAILURES.has(anomaly.code)) this.fail(d, anomaly.message);
      else this.deviceError(d, anomaly.message); // it answered (exception, odd probe word)
    }
    return report;
  }

  get(address: number): DeviceRecord | undefined {
    const d = this.devices.get(address);
    return d === undefined ? undefined : { ...d };
  }

  list(): DeviceRecord[] {
    return [...this.devices.values()].sort((a, b) => a.address - b.address).map((d) => ({ ...d }));
  }

  live(): DeviceRecord[] {
    return this.list().filter((d) => d.state === 'live');
  }

  dormant(): DeviceRecord[] {
    return this.list().filter((d) => d.state === 'dormant');
  }

  isLive(address: number): boolean {
    return this.devices.get(address)?.state === 'live';
  }

  /** Throws DeviceDormant/UnknownDevice unless the device is live. */
  assertLive(address: number): void {
    const d = this.devices.get(address);
    if (d === undefined) {
      throw new Orv3Error(ErrorCode.UnknownDevice, `no device at ${address}`, { address });
    }
    if (d.state !== 'live') {
      throw new Orv3Error(ErrorCode.DeviceDormant, `device ${address} is dormant`, { address });
    }
  }

  recordSuccess(address: number): void {
    const d = this.devices.get(address);
    if (d === undefined) return;
    d.consecutiveFailures = 0;
    d.lastSeenMs = this.clock.nowMs();
    if (d.state === 'dormant') {
      d.state = 'live';
      d.recoveries++;
      this.emit('recovered', d);
    }
  }

  /** A link failure counts towards dormancy; a device's own error (exception) proves it is there. */
  recordFailure(address: number, error: unknown): void {
    const d = this.devices.get(address);
    if (d === undefined) return;
    const message = error instanceof Error ? error.message : String(error);
    if (isLinkFailure(error)) this.fail(d, message);
    else this.deviceError(d, message);
  }

  /** Starts the background re-probe of dormant devices. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = this.clock.setInterval(() => void this.reprobeOne(), this.reprobePeriodMs);
  }

  stop(): void {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Probes the next dormant device (round robin); resolves to its address, or null if none. */
  async reprobeOne(): Promise<number | null> {
    if (this.reprobing) return null;
    const dormant = this.dormant();
    if (dormant.length === 0) return null;
    const target = dormant[this.cursor++ % dormant.length]!;
    this.reprobing = true;
    try {
      const outcome = await probe(this.client, target.map, target.address, this.probeTimeoutMs);
      const rec = this.devices.get(target.address)!;
      // Still dormant: only the last error changes (its failures were counted going dormant).
      if (outcome === 'silent') rec.lastError = 'silent on re-probe';
      else if (!('code' in outcome)) this.recordSuccess(target.address);
      else if (LINK_FAILURES.has(outcome.code)) rec.lastError = outcome.message;
      else this.deviceError(rec, outcome.message);
    } finally {
      this.reprobing = false;
    }
    return target.address;
  }

  private add(d: FoundDevice): void {
    const rec: Mutable<DeviceRecord> = {
      address: d.address,
      family: d.family,
      kind: d.kind,
      map: d.map,
      state: 'live',
      consecutiveFailures: 0,
      failures: 0,
      deviceErrors: 0,
      recoveries: 0,
      lastSeenMs: this.clock.nowMs(),
      lastError: null,
    };
    this.devices.set(d.address, rec);
    this.emit('found', rec);
  }

  private deviceError(d: Mutable<DeviceRecord>, message: string): void {
    d.deviceErrors++;
    d.lastError = message;
    this.recordSuccess(d.address);
  }

  private fail(d: Mutable<DeviceRecord>, message: string): void {
    d.lastError = message;
    d.failures++;
    d.consecutiveFailures++;
    if (d.state === 'live' && d.consecutiveFailures >= this.dormantAfter) {
      d.state = 'dormant';
      this.emit('lost', d);
    }
  }

  private emit(event: RegistryEvent, d: DeviceRecord): void {
    const snapshot = { ...d };
    // A listener's error must not break the caller's bookkeeping (poller, scan).
    for (const l of this.listeners[event]) {
      try {
        l(snapshot);
      } catch {
        /* listeners own their errors */
      }
    }
  }
}
