import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, isOrv3Error } from '../../../src/errors.js';
import {
  checkMapCollection,
  loadBuiltinMaps,
  loadModbusMap,
  parseModbusMap,
  parsePmbusCommands,
  registersDir,
} from '../../../src/regmap/index.js';

type Json = Record<string, unknown> & { registers: Record<string, unknown>[] };
type PmJson = Record<string, unknown> & { commands: Record<string, unknown>[] };

const PSU_FILE = 'registers/orv3-psu.json';
const EXT_FILE = 'registers/pmbus-fastlane-ext.json';
const readRaw = (name: string): unknown =>
  JSON.parse(readFileSync(join(registersDir(), name), 'utf8'));
const psu = (): Json => readRaw('orv3-psu.json') as Json;
const ext = (): PmJson => readRaw('pmbus-fastlane-ext.json') as PmJson;

function reg(doc: Json, name: string): Record<string, unknown> {
  const r = doc.registers.find((x) => x['name'] === name);
  if (r === undefined) throw new Error(`no ${name}`);
  return r;
}

/** The problem lines of the RegisterMapInvalid error `fn` throws. */
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(isOrv3Error(e, ErrorCode.RegisterMapInvalid)).toBe(true);
    return (e as Error).message.split('\n');
  }
  throw new Error('expected RegisterMapInvalid');
}

const modbusProblems = (doc: Json): string[] => problems(() => parseModbusMap(doc, PSU_FILE));

describe('Modbus map validation', () => {
  it('accepts the unmodified map', () => {
    expect(parseModbusMap(psu(), PSU_FILE).registers).toHaveLength(50);
  });

  it('reports a duplicate name', () => {
    const doc = psu();
    reg(doc, 'PSU_MFR_Model')['name'] = 'PSU_FBPN';
    expect(modbusProblems(doc)).toEqual([
      `${PSU_FILE}: register "PSU_FBPN" (begin 8): field "name": duplicate name (also at begin 0)`,
    ]);
  });

  it('reports overlapping registers', () => {
    const doc = psu();
    reg(doc, 'PSU_MFR_Model')['length'] = 9;
    expect(modbusProblems(doc)).toEqual([
      `${PSU_FILE}: register "PSU_MFR_Date" (begin 16): field "begin": overlaps register "PSU_MFR_Model" (begin 8, length 9)`,
    ]);
  });

  it('reports a bad format through the schema', () => {
    const doc = psu();
    reg(doc, 'PSU_Output_Voltage')['format'] = 'DOUBLE';
    expect(modbusProblems(doc)).toEqual([
      `${PSU_FILE}: register "PSU_Output_Voltage" (begin 79): field "format": must be one of RAW | STRING | INTEGER | LONG | FLOAT | FLAGS`,
    ]);
  });

  it('reports a flag bit beyond the register width', () => {
    const doc = psu();
    const flags = reg(doc, 'General_Alarm_Status_Register')['flags'] as { bit: number }[];
    flags[flags.length - 1]!.bit = 16;
    expect(modbusProblems(doc)).toEqual([
      `${PSU_FILE}: register "General_Alarm_Status_Register" (begin 60): field "flags": bit 16 ("Fan_Alarm") is beyond the 16-bit width`,
    ]);
  });

  it('reports a FLOAT without precision', () => {
    const doc = psu();
    delete reg(doc, 'PSU_Output_Voltage')['precision'];
    expect(modbusProblems(doc)).toEqual([
      `${PSU_FILE}: register "PSU_Output_Voltage" (begin 79): field "precision": is required`,
    ]);
  });

  it('collects every semantic problem into one error', () => {
    const doc = psu();
    reg(doc, 'PSU_Output_Voltage')['precision'] = 17;
    reg(doc, 'Vout_Setpoint_H')['min'] = 52;
    reg(doc, 'Time_Since_Last_On')['length'] = 1;
    reg(doc, 'Time_Since_Last_On')['format'] = 'LONG';
    reg(doc, 'PSU_FBPN')['endian'] = 'L';
    const flags = reg(doc, 'PFC_Alarm_Status_Register')['flags'] as { bit: number }[];
    flags[1]!.bit = flags[0]!.bit;
    doc['addressRanges'] = [
      [200, 205],
      [204, 210],
    ];
    doc['probeRegister'] = 9;
    reg(doc, 'Unix_Time')['writable'] = false;
    expect(modbusProblems(doc)).toEqual([
      `${PSU_FILE}: register "PSU_FBPN" (begin 0): field "endian": only INTEGER, LONG and FLOAT have an endian`,
      `${PSU_FILE}: register "Time_Since_Last_On" (begin 54): field "length": LONG registers are 2..4 words`,
      `${PSU_FILE}: register "PFC_Alarm_Status_Register" (begin 61): field "flags": bit 0 defined twice ("AC_UVP", "AC_OVP")`,
      `${PSU_FILE}: register "PSU_Output_Voltage" (begin 79): field "precision": 17 fractional bits exceed the 16-bit register`,
      `${PSU_FILE}: register "Vout_Setpoint_H" (begin 103): field "min": min 52 is greater than max 51`,
      `${PSU_FILE}: field "addressRanges": range [200, 205] overlaps [204, 210]`,
      `${PSU_FILE}: field "probeRegister": no register begins at 9 (the probe is a 1-word read there)`,
      `${PSU_FILE}: field "timeSync": "Unix_Time" must be writable`,
    ]);
  });

  it('reports schema problems with the field path inside a register', () => {
    const doc = psu();
    const flags = reg(doc, 'LED_Override')['flags'] as Record<string, unknown>[];
    flags[0]!['bit'] = 'zero';
    reg(doc, 'LED_Override')['colour'] = 'blue';
    doc['baudRate'] = 1200;
    expect(modbusProblems(doc)).toEqual([
      `${PSU_FILE}: field "baudRate": must be one of 9600 | 19200 | 38400 | 57600 | 115200`,
      `${PSU_FILE}: register "LED_Override" (begin 97): field "colour": is not a known field`,
      `${PSU_FILE}: register "LED_Override" (begin 97): field "flags[0].bit": must be integer`,
    ]);
  });

  it('reads files: unreadable → FileUnreadable, not JSON → RegisterMapInvalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'regmap-'));
    const missing = join(dir, 'missing.json');
    expect(() => loadModbusMap(missing)).toThrow(
      expect.objectContaining({ code: ErrorCode.FileUnreadable }),
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "name": ');
    expect(problems(() => loadModbusMap(bad))[0]).toMatch(/bad\.json: not valid JSON/);
    const dup = join(dir, 'dup.json');
    const doc = psu();
    reg(doc, 'PSU_MFR_Model')['name'] = 'PSU_FBPN';
    writeFileSync(dup, JSON.stringify(doc));
    expect(problems(() => loadModbusMap(dup))[0]).toContain(
      `${dup}: register "PSU_FBPN" (begin 8): field "name"`,
    );
  });
});

describe('PMBus command set validation', () => {
  const pmProblems = (doc: PmJson): string[] => problems(() => parsePmbusCommands(doc, EXT_FILE));
  const cmd = (doc: PmJson, name: string): Record<string, unknown> =>
    doc.commands.find((c) => c['name'] === name)!;

  it('accepts the unmodified set', () => {
    expect(parsePmbusCommands(ext(), EXT_FILE).commands).toHaveLength(14);
  });

  it('names command and field for each problem', () => {
    const doc = ext();
    cmd(doc, 'EXT_PSU_RESTART')['code'] = '0xD1';
    cmd(doc, 'MFR_EXT_REVISION')['code'] = '0x30';
    cmd(doc, 'EXT_READ_BBU_SOC')['transaction'] = ['readByte'];
    cmd(doc, 'EXT_PSU_POUT_LIMIT_W')['expiry'] = 'NOPE';
    cmd(doc, 'EXT_BBU_CHARGE_LIMIT_W')['max'] = 4e7;
    expect(pmProblems(doc)).toEqual([
      `${EXT_FILE}: command "MFR_EXT_REVISION" (code 0x30): field "code": extension commands must use MFR_SPECIFIC codes 0xD0..0xFE`,
      `${EXT_FILE}: command "EXT_PSU_RESTART" (code 0xD1): field "code": duplicate code (also "EXT_BBU_DISCHARGE_W")`,
      `${EXT_FILE}: command "EXT_READ_BBU_SOC" (code 0xD8): field "format": DIRECT needs a word transaction, not byte`,
      `${EXT_FILE}: command "EXT_BBU_CHARGE_LIMIT_W" (code 0xD9): field "max": max 40000000 is outside the encodable range [-33554432, 33521664]`,
      `${EXT_FILE}: command "EXT_PSU_POUT_LIMIT_W" (code 0xD3): field "expiry": no command "NOPE" in this set`,
    ]);
  });

  it('requires DIRECT coefficients through the schema', () => {
    const doc = ext();
    delete cmd(doc, 'EXT_READ_BBU_SOC')['direct'];
    cmd(doc, 'EXT_STATUS')['code'] = 'D0';
    expect(pmProblems(doc)).toEqual([
      `${EXT_FILE}: command "EXT_READ_BBU_SOC" (code 0xD8): field "direct": is required`,
      `${EXT_FILE}: command "EXT_STATUS" (code D0): field "code": must be an integer 0..255 or a "0xNN" string`,
    ]);
  });
});

describe('checks across files', () => {
  it('rejects device address ranges shared by two families', () => {
    const { modbus, pmbus } = loadBuiltinMaps();
    const doc = psu();
    doc['family'] = 'orv3-psu-b';
    doc['addressRanges'] = [[240, 250]];
    const clash = parseModbusMap(doc, 'registers/orv3-psu-b.json');
    expect(problems(() => checkMapCollection([modbus['orv3-psu'], clash], []))).toEqual([
      'registers/orv3-psu-b.json: field "addressRanges": range [240, 250] overlaps [240, 242] of registers/orv3-psu.json',
    ]);
    expect(() => checkMapCollection(Object.values(modbus), Object.values(pmbus))).not.toThrow();
  });
});
