import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { ErrorCode } from '../../../../src/errors.js';
import { SimulatedSmbusAdapter, SmbusPmbusClient } from '../../../../src/bus/pmbus/index.js';
import { buildWriteWord, wordReadTimeUs } from '../../../../src/protocol/smbus/index.js';
import { decodePmbus, encodePmbus, loadBuiltinMaps } from '../../../../src/regmap/index.js';
import { DeviceDirectory } from '../../../../sim/facade/index.js';
import { rig } from '../../sim/facade/fixture.js';
import { rejection, settle } from './fake-device.js';

const sets = loadBuiltinMaps().pmbus;
const cmd = (name: string) =>
  (sets['pmbus-psu'].byName.get(name) ?? sets['pmbus-fastlane-ext'].byName.get(name))!;

/** Shelf 0 of an HPR zone behind the twin: the real simulator façades answer the bytes. */
function shelfBus() {
  const { zone } = rig('orv3-hpr-33kw');
  const dir = new DeviceDirectory(zone);
  const clock = new VirtualClock();
  const twin = new SimulatedSmbusAdapter({ clock, lookup: (a) => dir.pmbus(0, a) });
  return { zone, dir, clock, twin, client: new SmbusPmbusClient(twin) };
}

describe('the twin in front of the simulator PmbusFacade', () => {
  it('reads READ_VIN (LINEAR11) ≈ the zone AC voltage, with PEC, in 138.7 µs', async () => {
    const { zone, clock, client } = shelfBus();
    const raw = await settle(clock, client.readWord(0x58, cmd('READ_VIN').code));
    const vin = decodePmbus(cmd('READ_VIN'), raw) as number;
    expect(Math.abs(vin - zone.psus[0]!.vacV)).toBeLessThanOrEqual(0.5);
    expect(vin).toBeGreaterThan(270);
    expect(clock.nowMs()).toBeCloseTo(wordReadTimeUs(400_000) / 1000, 12);
  });

  it('reads READ_VOUT in LINEAR16 with the device VOUT_MODE and the serial as a block', async () => {
    const { zone, clock, client } = shelfBus();
    const voutMode = await settle(clock, client.readByte(0x58, cmd('VOUT_MODE').code));
    const raw = await settle(clock, client.readWord(0x58, cmd('READ_VOUT').code));
    const vout = decodePmbus(cmd('READ_VOUT'), raw, { voutMode }) as number;
    expect(Math.abs(vout - zone.busV)).toBeLessThanOrEqual(2 ** -9);
    const serial = await settle(clock, client.readBlock(0x58, cmd('MFR_SERIAL').code));
    expect(new TextDecoder().decode(serial)).toBe('SIMHPRPSU00000');
    const ext = await settle(clock, client.readWord(0x40, cmd('MFR_EXT_REVISION').code));
    expect(ext).toBeGreaterThan(0); // a BBU answers the fast-lane extension
  });

  it('a refused command is a NACK, latched in STATUS_CML like real firmware', async () => {
    const { clock, client } = shelfBus();
    const e = await rejection(clock, client.readWord(0x58, 0xfe));
    expect(e.code).toBe(ErrorCode.PmbusNack);
    expect(e.context['phase']).toBe('command');
    const cml = await settle(clock, client.readByte(0x58, cmd('STATUS_CML').code));
    expect(cml & 0x80).toBe(0x80);
    await settle(clock, client.sendByte(0x58, cmd('CLEAR_FAULTS').code));
    expect(await settle(clock, client.readByte(0x58, cmd('STATUS_CML').code))).toBe(0);
    const gone = await rejection(clock, client.readWord(0x5f, cmd('READ_VIN').code));
    expect(gone.context['phase']).toBe('address');
  });

  it('a write with a wrong PEC is NACKed and leaves VOUT_COMMAND as it was', async () => {
    const { clock, twin, client } = shelfBus();
    const code = cmd('VOUT_COMMAND').code;
    const before = await settle(clock, client.readWord(0x58, code));
    const value = encodePmbus(cmd('VOUT_COMMAND'), 49, { voutMode: 0x17 }) as number;
    const t = buildWriteWord(0x58, code, value, true);
    const bad = { ...t, write: Uint8Array.from(t.write) };
    bad.write[bad.write.length - 1] = bad.write[bad.write.length - 1]! ^ 0x80;
    expect((await rejection(clock, twin.transfer(bad))).code).toBe(ErrorCode.PmbusNack);
    expect(await settle(clock, client.readWord(0x58, code))).toBe(before);
    await settle(clock, client.writeWord(0x58, code, value));
    expect(await settle(clock, client.readWord(0x58, code))).toBe(value);
  });
});
