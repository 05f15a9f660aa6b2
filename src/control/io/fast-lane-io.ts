import type { SyncPmbusClient } from '../../bus/pmbus/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import {
  decodeLinear11,
  decodePmbus,
  encodePmbus,
  linear16Exponent,
  loadBuiltinMaps,
} from '../../regmap/index.js';
import type { DeviceKind, PmbusCommandDef } from '../../regmap/index.js';

/** One module the control loop drives on the fast lane. */
export interface ControlDevice {
  /** `psu-<unit>` / `bbu-<unit>`, the id the north side and the journal use. */
  readonly id: string;
  readonly kind: DeviceKind;
  /** Modbus unit (for the journal and the slow-lane telemetry it is joined with). */
  readonly unit: number;
  /** Index of its PMBus segment (one per shelf). */
  readonly segment: number;
  /** 7-bit PMBus address. */
  readonly address: number;
  /** Rated output (PSU) or discharge (BBU) power, W. */
  readonly ratedW: number;
}

/** The fast-lane quantities the loop reads, by device kind. */
export type ReadPoint = 'pout' | 'vin' | 'busV' | 'soc' | 'extStatus' | 'statusWord';

const READ_COMMAND: Record<DeviceKind, Partial<Record<ReadPoint, string>>> = {
  psu: {
    pout: 'READ_POUT',
    vin: 'READ_VIN',
    busV: 'EXT_READ_BUS_VOLTAGE',
    extStatus: 'EXT_STATUS',
    statusWord: 'STATUS_WORD',
  },
  bbu: {
    pout: 'EXT_READ_BBU_POUT',
    busV: 'EXT_READ_BUS_VOLTAGE',
    soc: 'EXT_READ_BBU_SOC',
    extStatus: 'EXT_STATUS',
    statusWord: 'STATUS_WORD',
  },
};

/** Setpoints the loop writes (all leased: the device reverts to native when a lease lapses). */
export type WritePoint =
  | 'bbuDischargeW'
  | 'bbuDischargeLeaseMs'
  | 'bbuChargeLimitW'
  | 'bbuChargeLeaseMs'
  | 'psuPoutLimitW'
  | 'psuPoutLeaseMs'
  | 'psuHold'
  | 'psuHoldLeaseMs';

const WRITE_COMMAND: Record<WritePoint, string> = {
  bbuDischargeW: 'EXT_BBU_DISCHARGE_W',
  bbuDischargeLeaseMs: 'EXT_BBU_DISCHARGE_EXPIRY_MS',
  bbuChargeLimitW: 'EXT_BBU_CHARGE_LIMIT_W',
  bbuChargeLeaseMs: 'EXT_BBU_CHARGE_LIMIT_EXPIRY_MS',
  psuPoutLimitW: 'EXT_PSU_POUT_LIMIT_W',
  psuPoutLeaseMs: 'EXT_PSU_POUT_LIMIT_EXPIRY_MS',
  psuHold: 'EXT_PSU_HOLD_CONTROLLER_ON_AUX',
  psuHoldLeaseMs: 'EXT_PSU_HOLD_EXPIRY_MS',
};

/** EXT_STATUS bits the loop acts on (registers/pmbus-fastlane-ext.json). */
export const EXT_STATUS_BIT = {
  BBU_DISCHARGE_ACTIVE: 1 << 0,
  NATIVE_TRIGGER_LATCHED: 1 << 1,
  COMMAND_EXPIRED: 1 << 2,
  CONTROLLER_ON_AUX: 1 << 3,
  HOLD_ARMED: 1 << 4,
  RESTART_PENDING: 1 << 7,
  COMMAND_REJECTED: 1 << 8,
  NATIVE_DISCHARGE_ACTIVE: 1 << 9,
} as const;

function commandTable(): Map<string, PmbusCommandDef> {
  const maps = loadBuiltinMaps().pmbus;
  const m = new Map<string, PmbusCommandDef>();
  for (const set of [maps['pmbus-psu'], maps['pmbus-fastlane-ext']])
    for (const c of set.commands) m.set(c.name, c);
  return m;
}

/**
 * The control loop's view of its PMBus segments: reads by quantity, leased writes by setpoint,
 * with the command codes and data formats of the register maps (the same tables as the
 * drivers) and the blocking clients of the loop's own thread. Everything it learns about the
 * shelf comes through these transactions. Throws what the client throws (NACK, PEC, bad
 * response) and CommandOutOfBounds before the wire for a value outside the map's bounds.
 */
export class FastLaneIo {
  private readonly cmds = commandTable();
  /** LINEAR16 exponent per device (from VOUT_MODE, read at init). */
  private readonly exp = new Map<string, number>();

  constructor(private readonly segments: readonly SyncPmbusClient[]) {}

  get segmentCount(): number {
    return this.segments.length;
  }

  /** Reads VOUT_MODE of each device once: LINEAR16 values mean nothing without it. */
  init(dev: ControlDevice): void {
    const c = this.command('VOUT_MODE');
    const raw = this.client(dev).readByte(dev.address, c.code);
    this.exp.set(dev.id, linear16Exponent(raw));
  }

  read(dev: ControlDevice, point: ReadPoint): number {
    const name = READ_COMMAND[dev.kind][point];
    if (name === undefined) {
      throw new Orv3Error(ErrorCode.UnsupportedCommand, `${dev.id}: no ${point} on the fast lane`);
    }
    const c = this.command(name);
    const raw = this.client(dev).readWord(dev.address, c.code);
    switch (c.format) {
      case 'LINEAR11':
        return decodeLinear11(raw);
      case 'LINEAR16': {
        const e = this.exp.get(dev.id);
        if (e === undefined) {
          throw new Orv3Error(ErrorCode.CodecFormat, `${dev.id}: VOUT_MODE not read yet`);
        }
        return raw * 2 ** e;
      }
      case 'FLAGS':
      case 'RAW':
        return raw;
      default:
        return decodePmbus(c, raw) as number;
    }
  }

  write(dev: ControlDevice, point: WritePoint, value: number): void {
    const c = this.command(WRITE_COMMAND[point]);
    if (!c.appliesTo.includes(dev.kind)) {
      throw new Orv3Error(
        ErrorCode.UnsupportedCommand,
        `${dev.id}: ${c.name} is not for a ${dev.kind}`,
      );
    }
    if ((c.min !== undefined && value < c.min) || (c.max !== undefined && value > c.max)) {
      throw new Orv3Error(
        ErrorCode.CommandOutOfBounds,
        `${dev.id}: ${c.name} = ${value} outside [${c.min}, ${c.max}]`,
        { device: dev.id, command: c.name, value },
      );
    }
    const data = encodePmbus(c, value) as number;
    const client = this.client(dev);
    if (c.size === 1) client.writeByte(dev.address, c.code, data);
    else client.writeWord(dev.address, c.code, data);
  }

  /** Reads a setpoint back (devices return the last value written). */
  readSetpoint(dev: ControlDevice, point: WritePoint): number {
    const c = this.command(WRITE_COMMAND[point]);
    const client = this.client(dev);
    const raw =
      c.size === 1 ? client.readByte(dev.address, c.code) : client.readWord(dev.address, c.code);
    return decodePmbus(c, raw) as number;
  }

  /** EXT_PSU_RESTART: start the held PSU's PFC now (only valid while RESTART_PENDING). */
  restart(dev: ControlDevice): void {
    this.client(dev).sendByte(dev.address, this.command('EXT_PSU_RESTART').code);
  }

  clearFaults(dev: ControlDevice): void {
    this.client(dev).sendByte(dev.address, this.command('CLEAR_FAULTS').code);
  }

  /** Bus time each segment spent since the last call, µs (segments run in parallel). */
  takeBusTime(out: Float64Array): void {
    for (let s = 0; s < this.segments.length; s++) out[s] = this.segments[s]!.takeBusTime();
  }

  private client(dev: ControlDevice): SyncPmbusClient {
    const c = this.segments[dev.segment];
    if (c === undefined) {
      throw new Orv3Error(ErrorCode.ConfigInvalid, `${dev.id}: no PMBus segment ${dev.segment}`);
    }
    return c;
  }

  private command(name: string): PmbusCommandDef {
    const c = this.cmds.get(name);
    if (c === undefined) throw new Orv3Error(ErrorCode.UnsupportedCommand, `no command ${name}`);
    return c;
  }
}
