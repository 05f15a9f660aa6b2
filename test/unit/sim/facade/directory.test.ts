import { describe, expect, it } from 'vitest';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { assignModbusAddresses } from '../../../../sim/facade/index.js';
import { maps, rig } from './fixture.js';

describe('DeviceDirectory', () => {
  it('ORv3 shelf: PSUs 200–205, BBUs 64–69, PMBus 0x58+i / 0x40+i', () => {
    const { dir } = rig('orv3-18kw');
    const list = dir.list();
    expect(list.filter((e) => e.kind === 'psu').map((e) => e.modbusAddress)).toEqual([
      200, 201, 202, 203, 204, 205,
    ]);
    expect(list.filter((e) => e.kind === 'bbu').map((e) => e.modbusAddress)).toEqual([
      64, 65, 66, 67, 68, 69,
    ]);
    expect(dir.modbus(203)?.map.family).toBe('orv3-psu');
    expect(dir.modbus(66)?.map.family).toBe('orv3-bbu');
    expect(dir.modbus(206)).toBeUndefined();
    expect(dir.pmbus(0, 0x5a)?.kind).toBe('psu');
    expect(dir.pmbus(0, 0x45)?.kind).toBe('bbu');
    expect(dir.pmbus(1, 0x58)).toBeUndefined();
  });

  it('four HPR shelves take the next ranges that hold a whole shelf', () => {
    const { dir, zone } = rig('rack-4x-hpr-132kw');
    const firstOf = (kind: string, shelf: number): number | undefined =>
      dir.list().find((e) => e.kind === kind && e.shelf === shelf)?.modbusAddress;
    expect([0, 1, 2, 3].map((s) => firstOf('psu', s))).toEqual([144, 154, 170, 186]);
    // [54, 57] holds only four addresses: shelf 1's BBUs skip it.
    expect([0, 1, 2, 3].map((s) => firstOf('bbu', s))).toEqual([48, 58, 90, 106]);
    const e = dir.list().find((x) => x.kind === 'bbu' && x.shelf === 2 && x.slot === 3)!;
    expect(e.index).toBe(15);
    expect(dir.pmbus(2, 0x43)).toBe(e.pmbus);
    expect(zone.bbus[e.index]).toBeDefined();
  });

  it('refuses more shelves than the map has ranges for', () => {
    let err: unknown;
    try {
      assignModbusAddresses(maps.modbus['orv3-psu'], 3, 6);
    } catch (e) {
      err = e;
    }
    expect(isOrv3Error(err, ErrorCode.ConfigInvalid)).toBe(true);
    expect(assignModbusAddresses(maps.modbus['orv3-psu'], 3, 3)[2]).toEqual([240, 241, 242]);
  });

  it('advanceTo runs device-side actions at their due time', () => {
    const r = rig('orv3-18kw');
    r.psu.modbus.writeSingleRegister(94, 0x8201);
    expect(r.dir.nextActionMs()).toBeCloseTo(r.zone.tMs + 5000, 6);
    r.dir.advanceTo(r.zone.tUs + 6_000_000);
    expect(r.dir.nextActionMs()).toBeNull();
    expect(r.zone.psus[0]!.commandedOff).toBe(false);
  });
});
