import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_MODBUS_FAMILIES,
  loadBuiltinMaps,
  loadModbusMap,
  MODBUS_MAX_READ_WORDS,
  mapForAddress,
  registersDir,
} from '../../../src/regmap/index.js';
import type { ModbusRegisterMap } from '../../../src/regmap/index.js';

const maps = loadBuiltinMaps();
const all = Object.values(maps.modbus);

const writableNames = (m: ModbusRegisterMap): string[] =>
  m.registers.filter((r) => r.writable).map((r) => r.name);

describe('built-in Modbus maps', () => {
  it('loads every family with its facts from the rackmon maps', () => {
    expect(Object.keys(maps.modbus).sort()).toEqual([...BUILTIN_MODBUS_FAMILIES].sort());
    const psu = maps.modbus['orv3-psu'];
    expect(psu.file).toBe('registers/orv3-psu.json');
    expect(psu.kind).toBe('psu');
    expect(psu.baudRate).toBe(19200);
    expect(psu.probeRegister).toBe(8);
    expect(psu.addressRanges).toEqual([
      [200, 205],
      [232, 237],
      [240, 242],
    ]);
    expect(psu.timeSync).toEqual({ register: 98, length: 2, periodS: 3600 });
    expect(maps.modbus['orv3-bbu'].timeSync?.register).toBe(302);
    expect(maps.modbus['hpr-psu'].timeSync?.register).toBe(90);
    expect(maps.modbus['hpr-bbu'].timeSync?.register).toBe(101);
    expect(maps.modbus['hpr-psu'].addressRanges).toHaveLength(14);
    expect(maps.modbus['hpr-bbu'].baudRate).toBe(115200);
  });

  it('keeps every CSV register, with trimmed names and all HPR BBU flag bits', () => {
    expect(all.map((m) => m.registers.length)).toEqual([50, 106, 65, 127]);
    for (const m of all) {
      for (const r of m.registers) {
        expect(r.name).toBe(r.name.trim());
        for (const f of r.flags) expect(f.name).toBe(f.name.trim());
      }
    }
    const hpr = maps.modbus['hpr-bbu'];
    expect(hpr.byName.get('SOH')?.begin).toBe(142);
    expect(hpr.byName.get('BBU_Status')?.flags.map((f) => f.bit)).toEqual([...Array(16).keys()]);
    expect(hpr.byName.get('BBU_Module_Hardware_Signals')?.flags).toHaveLength(16);
    const signals = maps.modbus['hpr-psu'].byName.get('Hardware_Signal');
    expect(signals?.flags.find((f) => f.bit === 11)?.name).toBe('Reset_Latch_Fault');
  });

  it('marks the ORv3 control registers writable', () => {
    expect(writableNames(maps.modbus['orv3-psu'])).toEqual([
      'PSU_Setting_Register',
      'Communication_Baud_Rate',
      'Fan_Duty_Cycle_Override',
      'LED_Override',
      'Unix_Time',
      'Configurable_PLS_Timing',
      'Vout_Setpoint_H',
      'Vout_Setpoint_L',
      'Vout_Change_Timer',
    ]);
    expect(writableNames(maps.modbus['hpr-psu'])).toContain('Vout_Setpoint');
    for (const family of ['orv3-bbu', 'hpr-bbu'] as const) {
      const m = maps.modbus[family];
      for (const r of m.registers) {
        if (r.begin >= 288 && r.begin <= 313) expect(r.writable, r.name).toBe(true);
      }
      expect(m.byAddress.get(305)?.name).toBe('Forced_Discharge_Time');
      expect(m.byAddress.get(306)?.name).toBe('System_Control_Mode');
    }
  });

  it('bounds every writable numeric register', () => {
    for (const m of all) {
      for (const r of m.registers) {
        if (r.writable && (r.format === 'INTEGER' || r.format === 'FLOAT')) {
          expect(r.min, `${m.family} ${r.name}`).toBeDefined();
          expect(r.max, `${m.family} ${r.name}`).toBeDefined();
        }
      }
    }
    const bbu = maps.modbus['orv3-bbu'].byName;
    expect([bbu.get('Forced_Discharge_Time')?.min, bbu.get('Forced_Discharge_Time')?.max]).toEqual([
      0, 300,
    ]);
    expect(bbu.get('System_Control_Mode')?.max).toBe(3);
    expect(bbu.get('Configurable_BBU_Maximum_Discharge_Time')?.max).toBe(600);
    expect(maps.modbus['orv3-psu'].byName.get('Vout_Setpoint_L')).toMatchObject({
      min: 48,
      max: 51,
      unit: 'V',
    });
  });

  it('documents the ORv3 BBU current unit consistently', () => {
    const orv3 = maps.modbus['orv3-bbu'].byName;
    for (const n of [
      'Battery_Current',
      'Average_Current',
      'Discharge_Current',
      'Charging_Current',
    ]) {
      expect(orv3.get(n)?.unit, n).toBe('10mA');
      expect(orv3.get(n)?.description, n).toMatch(/assumption/);
    }
    expect(orv3.get('Relative_State_Of_Charge')?.unit).toBe('%');
    expect(orv3.get('Temp1')?.unit).toBe('0.1K');
    expect(maps.modbus['hpr-bbu'].byName.get('Battery_Current')).toMatchObject({
      unit: 'mA',
      scale: 10,
    });
  });

  it('indexes registers by name, first word and every covered word', () => {
    const psu = maps.modbus['orv3-psu'];
    const serial = psu.byName.get('PSU_MFR_Serial')!;
    expect(serial).toMatchObject({ begin: 24, length: 16, end: 40, endian: 'B', scale: 1 });
    expect(psu.byAddress.get(24)).toBe(serial);
    expect(psu.byAddress.get(25)).toBeUndefined();
    expect(psu.byWord.get(39)).toBe(serial);
    expect(psu.byWord.get(58)).toBeUndefined();
  });

  it('merges contiguous registers into read spans of at most 125 words', () => {
    for (const m of all) {
      const seen = m.readSpans.flatMap((s) => s.registers);
      expect(seen.map((r) => r.name).sort()).toEqual(m.registers.map((r) => r.name).sort());
      for (const s of m.readSpans) {
        expect(s.length).toBeLessThanOrEqual(MODBUS_MAX_READ_WORDS);
        let at = s.begin;
        for (const r of s.registers) {
          expect(r.begin).toBe(at);
          at = r.end;
        }
        expect(at).toBe(s.begin + s.length);
      }
    }
    expect(maps.modbus['orv3-psu'].readSpans.map((s) => [s.begin, s.length])).toEqual([
      [0, 58],
      [60, 5],
      [67, 24],
      [92, 18],
    ]);
  });

  it('is frozen, including its lookups', () => {
    const psu = maps.modbus['orv3-psu'];
    expect(Object.isFrozen(psu)).toBe(true);
    expect(Object.isFrozen(psu.registers[0])).toBe(true);
    expect(() => (psu.byName as Map<string, unknown>).set('x', {})).toThrow(TypeError);
    expect(() => (psu.registers as unknown[]).push(1)).toThrow(TypeError);
  });

  it('finds the family serving a device address, and the ranges do not collide', () => {
    expect(mapForAddress(all, 201)?.family).toBe('orv3-psu');
    expect(mapForAddress(all, 97)?.family).toBe('orv3-bbu');
    expect(mapForAddress(all, 146)?.family).toBe('hpr-psu');
    expect(mapForAddress(all, 50)?.family).toBe('hpr-bbu');
    expect(mapForAddress(all, 1)).toBeUndefined();
  });

  it('resolves registers/ from the module, not the cwd', () => {
    const before = process.cwd();
    try {
      process.chdir(tmpdir());
      const m = loadModbusMap(join(registersDir(), 'orv3-bbu.json'));
      expect(m.file).toBe('registers/orv3-bbu.json');
    } finally {
      process.chdir(before);
    }
  });
});

describe('built-in PMBus command sets', () => {
  const std = maps.pmbus['pmbus-psu'];
  const ext = maps.pmbus['pmbus-fastlane-ext'];

  it('has the standard PMBus codes', () => {
    const codes = Object.fromEntries(std.commands.map((c) => [c.name, c.code]));
    expect(codes).toMatchObject({
      PAGE: 0x00,
      OPERATION: 0x01,
      CLEAR_FAULTS: 0x03,
      VOUT_MODE: 0x20,
      VOUT_COMMAND: 0x21,
      STATUS_WORD: 0x79,
      READ_VIN: 0x88,
      READ_VOUT: 0x8b,
      READ_POUT: 0x96,
      PMBUS_REVISION: 0x98,
      MFR_POUT_MAX: 0xa7,
    });
    expect(std.commands).toHaveLength(33);
    expect(std.commands.every((c) => !c.extension)).toBe(true);
    expect(std.byName.get('VOUT_COMMAND')).toMatchObject({ readable: true, writable: true });
    expect(std.byName.get('CLEAR_FAULTS')).toMatchObject({ size: 0, format: 'NONE' });
    const word = std.byName.get('STATUS_WORD')!.flags.map((f) => f.name);
    expect(word.slice(8)).toEqual([
      'UNKNOWN',
      'OTHER',
      'FANS',
      'POWER_GOOD#',
      'MFR',
      'INPUT',
      'IOUT/POUT',
      'VOUT',
    ]);
  });

  it('keeps the extension in MFR_SPECIFIC with leased, bounded setpoints', () => {
    expect(ext.extension).toBe(true);
    for (const c of ext.commands) {
      expect(c.extension).toBe(true);
      expect(c.code).toBeGreaterThanOrEqual(0xd0);
      expect(c.code).toBeLessThanOrEqual(0xfe);
      if (c.writable && c.format !== 'NONE') {
        expect(c.min, c.name).toBeDefined();
        expect(c.max, c.name).toBeDefined();
      }
      if (c.expiry !== undefined) {
        expect(ext.byName.get(c.expiry)).toMatchObject({ unit: 'ms', min: 0, max: 5000 });
      }
    }
    expect(ext.byCode.get(0xd1)?.expiry).toBe('EXT_BBU_DISCHARGE_EXPIRY_MS');
    expect(ext.byName.get('EXT_PSU_RESTART')).toMatchObject({ code: 0xd6, size: 0 });
    expect(
      ext.byName
        .get('EXT_STATUS')
        ?.flags.filter((f) => f.latched)
        .map((f) => f.bit),
    ).toEqual([1, 2, 8]);
  });
});
