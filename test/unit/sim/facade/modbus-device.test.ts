import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.js';
import { decodeRegister, encodeRegister } from '../../../../src/regmap/index.js';
import { ModbusException, ModbusFacade } from '../../../../sim/facade/index.js';
import type { ModbusBinding } from '../../../../sim/facade/index.js';
import { maps, reg, rig, words } from './fixture.js';

function exceptionOf(fn: () => unknown): ModbusException {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModbusException) return e;
    throw e;
  }
  throw new Error('expected a ModbusException');
}

describe('ModbusFacade: a real slave', () => {
  it('reads every register of all four maps without an exception', () => {
    for (const preset of ['orv3-18kw', 'orv3-hpr-33kw']) {
      const { dir } = rig(preset);
      for (const e of dir.list()) {
        for (const def of e.modbus.map.registers) {
          const w = e.modbus.readHoldingRegisters(def.begin, def.length);
          expect(() => decodeRegister(def, w)).not.toThrow();
        }
      }
    }
  });

  it('serves a read span across contiguous registers and part of a multi-word register', () => {
    const { psu } = rig('orv3-18kw');
    const serial = reg(psu, 'PSU_MFR_Serial');
    const whole = words(psu, 'PSU_MFR_Serial');
    // Words 2..5 of the 16-word serial, as a master reading a slice would get them.
    expect(Array.from(psu.modbus.readHoldingRegisters(serial.begin + 2, 4))).toEqual(
      Array.from(whole.subarray(2, 6)),
    );
    const span = psu.modbus.readHoldingRegisters(0, 52);
    expect(span.length).toBe(52);
    expect(Array.from(psu.modbus.readInputRegisters(79, 4))).toEqual(
      Array.from(psu.modbus.readHoldingRegisters(79, 4)),
    );
  });

  it('answers exception 02 for any unmapped address in the range', () => {
    const { psu, bbu } = rig('orv3-18kw');
    // ORv3 PSU: 58..59 are a gap between AC_Outage_Counter (57) and the alarm registers (60).
    const e = exceptionOf(() => psu.modbus.readHoldingRegisters(56, 4));
    expect(e.exceptionCode).toBe(2);
    expect(e.code).toBe(ErrorCode.IllegalAddress);
    expect(e.functionCode).toBe(0x03);
    expect(exceptionOf(() => bbu.modbus.readHoldingRegisters(1000, 1)).exceptionCode).toBe(2);
    expect(exceptionOf(() => psu.modbus.readHoldingRegisters(65535, 2)).exceptionCode).toBe(2);
  });

  it('answers exception 03 for read counts outside 1..125 and write counts outside 1..123', () => {
    const { psu } = rig('orv3-18kw');
    expect(exceptionOf(() => psu.modbus.readHoldingRegisters(0, 0)).exceptionCode).toBe(3);
    expect(exceptionOf(() => psu.modbus.readHoldingRegisters(0, 126)).exceptionCode).toBe(3);
    expect(exceptionOf(() => psu.modbus.writeMultipleRegisters(94, [])).exceptionCode).toBe(3);
    const tooMany = new Array<number>(124).fill(0);
    expect(exceptionOf(() => psu.modbus.writeMultipleRegisters(0, tooMany)).exceptionCode).toBe(3);
    expect(exceptionOf(() => psu.modbus.writeSingleRegister(94, 0x10000)).exceptionCode).toBe(3);
  });

  it('answers 02 to writes of read-only registers, mid-register starts and partial covers', () => {
    const { psu } = rig('orv3-18kw');
    const ro = exceptionOf(() => psu.modbus.writeSingleRegister(79, 100));
    expect(ro.exceptionCode).toBe(2);
    expect(ro.code).toBe(ErrorCode.ReadOnly);
    expect(ro.functionCode).toBe(0x06);
    // Unix_Time is two words at 98: FC 06 cannot cover it, nor can a write starting at 99.
    expect(exceptionOf(() => psu.modbus.writeSingleRegister(98, 1)).exceptionCode).toBe(2);
    expect(exceptionOf(() => psu.modbus.writeMultipleRegisters(99, [1, 2])).exceptionCode).toBe(2);
  });

  it('answers 03 to values outside the bounds or with undefined flag bits, applying nothing', () => {
    const r = rig('orv3-18kw');
    const m = r.psu.modbus;
    m.writeSingleRegister(94, 0x0001);
    const high = reg(r.psu, 'Vout_Setpoint_H');
    const tooHigh = Math.round(52 * 1024);
    const e = exceptionOf(() => m.writeSingleRegister(high.begin, tooHigh));
    expect(e.exceptionCode).toBe(3);
    expect(e.code).toBe(ErrorCode.IllegalValue);
    // Bit 1 of PSU_Setting_Register is not defined in the ORv3 map.
    expect(exceptionOf(() => m.writeSingleRegister(94, 0x0003)).exceptionCode).toBe(3);
    // A multi-write whose second value is bad must not apply the first.
    const before = r.zone.psus[0]!.vsetHighV;
    const ok = encodeRegister(high, 50)[0]!;
    expect(exceptionOf(() => m.writeMultipleRegisters(103, [ok, tooHigh])).exceptionCode).toBe(3);
    expect(r.zone.psus[0]!.vsetHighV).toBe(before);
  });

  it('counts reads, writes, ignored writes and exceptions per device', () => {
    const { psu } = rig('orv3-18kw');
    const m = psu.modbus;
    m.readHoldingRegisters(79, 1);
    m.writeSingleRegister(94, 0x0800); // no write-enable bit: acknowledged, ignored
    expect(() => m.readHoldingRegisters(58, 1)).toThrow(ModbusException);
    expect(m.counters).toEqual({ reads: 1, writes: 1, ignoredWrites: 1, exceptions: 1 });
  });

  it('works over any binding (the seam a test fake uses)', () => {
    const map = maps.modbus['orv3-psu'];
    const written: number[] = [];
    const fake: ModbusBinding = {
      read: (def) => (def.name === 'PSU_Output_Voltage' ? 12.5 : def.format === 'STRING' ? 'x' : 0),
      write: (_def, v) => {
        written.push(Number(v));
        return 'applied';
      },
      responding: () => false,
    };
    const f = new ModbusFacade(200, map, fake);
    const vout = map.byName.get('PSU_Output_Voltage')!;
    expect(decodeRegister(vout, f.readHoldingRegisters(vout.begin, 1))).toBe(12.5);
    f.writeSingleRegister(95, 2);
    expect(written).toEqual([2]);
    expect(f.responding).toBe(false);
  });
});
