import { ErrorCode, Orv3Error } from '../../src/errors.js';
import { loadBuiltinMaps } from '../../src/regmap/index.js';
import type { BuiltinMaps, DeviceKind, ModbusRegisterMap } from '../../src/regmap/index.js';
import type { SimZone } from '../physics/zone.js';
import { BbuModbusBinding } from './bbu-binding.js';
import { DEFAULT_EPOCH_ORIGIN_MS, Scheduler } from './binding-kit.js';
import type { FacadeContext } from './binding-kit.js';
import { ModbusFacade } from './modbus-device.js';
import { BbuPmbusBinding } from './pmbus-bbu.js';
import { PmbusFacade, pmbusCommandsFor } from './pmbus-device.js';
import { PsuPmbusBinding } from './pmbus-psu.js';
import { PsuModbusBinding } from './psu-binding.js';

/** 7-bit PMBus addresses on each shelf's bus: PSU slot i at 0x58 + i, BBU slot i at 0x40 + i. */
export const PMBUS_PSU_BASE = 0x58;
export const PMBUS_BBU_BASE = 0x40;
const MAX_PER_SHELF = 8;

export interface DirectoryOptions {
  /** Register maps and command sets; the built-in ones by default. */
  readonly maps?: BuiltinMaps;
  /** Unix time in ms now; default 2026-01-01T00:00:00Z + zone.tMs (as VirtualClock). */
  readonly epochMs?: () => number;
}

export interface DeviceEntry {
  readonly kind: DeviceKind;
  /** Register-map family, e.g. 'hpr-psu'. */
  readonly family: string;
  readonly shelf: number;
  /** Position within the shelf, 0-based. */
  readonly slot: number;
  /** Index into zone.psus / zone.bbus. */
  readonly index: number;
  readonly modbusAddress: number;
  readonly pmbusAddress: number;
  readonly modbus: ModbusFacade;
  readonly pmbus: PmbusFacade;
}

/**
 * Modbus addresses for `shelves` × `perShelf` devices from a map's address ranges: each shelf
 * takes the first `perShelf` addresses of the next range (in the map's order) that holds them
 * all; shorter ranges are skipped, because one shelf's modules share a range in real racks.
 */
export function assignModbusAddresses(
  map: ModbusRegisterMap,
  shelves: number,
  perShelf: number,
): number[][] {
  const out: number[][] = [];
  const ranges = map.addressRanges.filter(([lo, hi]) => hi - lo + 1 >= perShelf);
  for (let s = 0; s < shelves; s++) {
    const r = ranges[s];
    if (r === undefined) {
      throw new Orv3Error(
        ErrorCode.ConfigInvalid,
        `${map.family}: ${shelves} shelves of ${perShelf} need more address ranges than the map has`,
        { family: map.family, shelves, perShelf },
      );
    }
    out.push(Array.from({ length: perShelf }, (_, i) => r[0] + i));
  }
  return out;
}

/** The only way a gateway touches a simulated zone: its devices by bus address. */
export class DeviceDirectory {
  readonly zone: SimZone;
  private readonly ctx: FacadeContext;
  private readonly entries: DeviceEntry[] = [];
  private readonly byModbus = new Map<number, DeviceEntry>();
  private readonly byPmbus = new Map<string, DeviceEntry>();

  constructor(zone: SimZone, options: DirectoryOptions = {}) {
    this.zone = zone;
    const maps = options.maps ?? loadBuiltinMaps();
    const epochMs = options.epochMs ?? (() => DEFAULT_EPOCH_ORIGIN_MS + zone.tMs);
    this.ctx = { zone, epochMs, scheduler: new Scheduler() };
    const spec = zone.spec;
    if (spec.psusPerShelf > MAX_PER_SHELF || spec.bbusPerShelf > MAX_PER_SHELF) {
      throw new Orv3Error(ErrorCode.ConfigInvalid, `at most ${MAX_PER_SHELF} PSUs/BBUs a shelf`);
    }
    const fam = spec.family;
    const psuMap = maps.modbus[`${fam}-psu`];
    const bbuMap = maps.modbus[`${fam}-bbu`];
    const psuCmds = pmbusCommandsFor('psu', maps);
    const bbuCmds = pmbusCommandsFor('bbu', maps);
    const psuAddr = assignModbusAddresses(psuMap, spec.shelves, spec.psusPerShelf);
    const bbuAddr = assignModbusAddresses(bbuMap, spec.shelves, spec.bbusPerShelf);
    zone.psus.forEach((psu, index) => {
      const shelf = zone.shelfOfPsu(index);
      const slot = index - shelf * spec.psusPerShelf;
      const at = { family: fam, shelf, slot };
      const modbusAddress = psuAddr[shelf]![slot]!;
      const pmbusAddress = PMBUS_PSU_BASE + slot;
      this.add({
        kind: 'psu',
        family: psuMap.family,
        shelf,
        slot,
        index,
        modbusAddress,
        pmbusAddress,
        modbus: new ModbusFacade(modbusAddress, psuMap, new PsuModbusBinding(this.ctx, psu, at)),
        pmbus: new PmbusFacade(
          pmbusAddress,
          'psu',
          psuCmds,
          new PsuPmbusBinding(this.ctx, psu, fam, psuCmds),
        ),
      });
    });
    zone.bbus.forEach((bbu, index) => {
      const shelf = zone.shelfOfBbu(index);
      const slot = index - shelf * spec.bbusPerShelf;
      const at = { family: fam, shelf, slot };
      const modbusAddress = bbuAddr[shelf]![slot]!;
      const pmbusAddress = PMBUS_BBU_BASE + slot;
      this.add({
        kind: 'bbu',
        family: bbuMap.family,
        shelf,
        slot,
        index,
        modbusAddress,
        pmbusAddress,
        modbus: new ModbusFacade(modbusAddress, bbuMap, new BbuModbusBinding(this.ctx, bbu, at)),
        pmbus: new PmbusFacade(
          pmbusAddress,
          'bbu',
          bbuCmds,
          new BbuPmbusBinding(this.ctx, bbu, fam, bbuCmds),
        ),
      });
    });
  }

  private add(e: DeviceEntry): void {
    this.entries.push(e);
    this.byModbus.set(e.modbusAddress, e);
    this.byPmbus.set(`${e.shelf}:${e.pmbusAddress}`, e);
  }

  /** The slave at a Modbus address, or undefined (a server then stays silent: timeout). */
  modbus(address: number): ModbusFacade | undefined {
    return this.byModbus.get(address)?.modbus;
  }

  /** The device at a 7-bit address on a shelf's PMBus, or undefined (address NACK). */
  pmbus(shelf: number, address: number): PmbusFacade | undefined {
    return this.byPmbus.get(`${shelf}:${address}`)?.pmbus;
  }

  /** Every device, PSUs first, in zone order. */
  list(): readonly DeviceEntry[] {
    return this.entries;
  }

  /** Simulated ms of the next device-side action (power cycle end, delayed Vout), or null. */
  nextActionMs(): number | null {
    return this.ctx.scheduler.nextDueMs();
  }

  /** Runs device-side actions that fell due; call after stepping the zone yourself. */
  service(): void {
    this.ctx.scheduler.runDue(this.zone.tMs);
  }

  /** Steps the zone to targetUs, running each device-side action at its due time. */
  advanceTo(targetUs: number): void {
    for (;;) {
      const due = this.ctx.scheduler.nextDueMs();
      if (due === null || due * 1000 > targetUs) break;
      this.zone.advanceTo(Math.max(this.zone.tUs, Math.ceil(due * 1000)));
      this.service();
    }
    this.zone.advanceTo(targetUs);
    this.service();
  }
}
