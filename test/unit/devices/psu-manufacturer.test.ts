/**
 * A PSU's manufacturer from PMBus MFR_ID (the ORv3/HPR PSU maps have no register for it), read
 * through the real SmbusPmbusClient (block framing, PEC) over the simulated SMBus twin: once,
 * with the Modbus identity; a failure leaves it null and is retried at the next sweep without
 * failing the identity; padding is trimmed and garbage gives null, not mojibake.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedSmbusAdapter, SmbusPmbusClient } from '../../../src/bus/pmbus/index.js';
import type { PmbusDeviceLike } from '../../../src/bus/pmbus/index.js';
import { VirtualClock } from '../../../src/clock/index.js';
import { Psu } from '../../../src/devices/index.js';
import { mfrIdText } from '../../../src/devices/psu.js';
import { ErrorCode, isOrv3Error } from '../../../src/errors.js';
import { createSimGateway } from '../../../src/simlink/index.js';
import { identity } from '../../../sim/facade/index.js';
import { maps, shelf } from '../../support/fake-buses.js';
import { inlineScenario } from '../../support/sim.js';
import { lockstep, settle } from './drive.js';

const MFR_ID = 0x99;
const PSU_ADDR = 0x58;
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** The device at `a`, answering MFR_ID with `data` instead of its own name. */
function withMfrId(dev: PmbusDeviceLike, data: Uint8Array): PmbusDeviceLike {
  return {
    get responding() {
      return dev.responding;
    },
    commands: () => dev.commands(),
    readByte: (c) => dev.readByte(c),
    readWord: (c) => dev.readWord(c),
    readBlock: (c) => (c === MFR_ID ? data : dev.readBlock(c)),
    writeByte: (c, v) => dev.writeByte(c, v),
    writeWord: (c, v) => dev.writeWord(c, v),
    writeBlock: (c, d) => dev.writeBlock(c, d),
    sendByte: (c) => dev.sendByte(c),
  };
}

function rig() {
  const s = shelf('orv3-hpr-33kw');
  const clock = new VirtualClock();
  const faults = {
    dead: false,
    corruptPec: false,
    mfrId: undefined as Uint8Array | undefined,
  };
  const adapter = new SimulatedSmbusAdapter({
    clock,
    clockHz: 400_000,
    lookup: (a) => {
      const dev = faults.dead ? undefined : s.dir.pmbus(0, a);
      return dev && faults.mfrId ? withMfrId(dev, faults.mfrId) : dev;
    },
    corruptResponse: (_a, command, rx) => {
      if (faults.corruptPec && command === MFR_ID) rx[rx.length - 1]! ^= 0x5a;
    },
  });
  const pmbus = new SmbusPmbusClient(adapter);
  const errors: unknown[] = [];
  const psu = new Psu(s.modbus, 144, maps.modbus['hpr-psu'], clock, {
    pmbus,
    pmbusAddress: PSU_ADDR,
    onIdentityError: (e) => errors.push(e),
  });
  const sim = s.zone.psus[0]!;
  const expected = identity('hpr', 'psu', sim.index, sim.ratedW);
  const sweep = () => settle(clock, psu.readTelemetry());
  const tx = (): number => pmbus.counters(PSU_ADDR).transactions;
  return { ...s, clock, pmbus, psu, faults, errors, expected, sweep, tx };
}

describe('PSU manufacturer from PMBus MFR_ID', () => {
  it('fills identity.manufacturer from MFR_ID over the real client, read once', async () => {
    const { sweep, tx, expected, errors, psu, pmbus } = rig();
    const t = await sweep();
    expect(expected.manufacturer).toMatch(/\S/);
    expect(t.identity.manufacturer).toBe(expected.manufacturer);
    expect(t.identity.model).toBe(expected.model);
    expect(t.identity.serial).toBe(expected.serial);
    expect(Object.isFrozen(t.identity)).toBe(true);
    expect(tx()).toBe(1); // one block read with PEC
    expect(pmbus.counters(PSU_ADDR).pecErrors).toBe(0);
    const again = await sweep();
    expect(again.identity).toBe(t.identity);
    expect(tx()).toBe(1); // not read again
    expect(psu.mfrIdFailures).toBe(0);
    expect(errors).toEqual([]);
  });

  it('leaves it null without a PMBus client (no fast lane)', async () => {
    const s = shelf('orv3-hpr-33kw');
    const clock = new VirtualClock();
    const psu = new Psu(s.modbus, 144, maps.modbus['hpr-psu'], clock);
    const t = await settle(clock, psu.readTelemetry());
    expect(t.identity.manufacturer).toBeNull();
    expect(t.identity.model).toMatch(/^SIM-HPR-PSU/);
  });

  it('no device at the address: null, Modbus identity intact, counted, retried next sweep', async () => {
    const { sweep, faults, tx, expected, errors, psu } = rig();
    faults.dead = true;
    const t1 = await sweep();
    expect(t1.identity.manufacturer).toBeNull();
    expect(t1.identity.model).toBe(expected.model);
    expect(t1.identity.serial).toBe(expected.serial);
    expect(t1.identity.partNumber).toBe(expected.partNumber);
    expect(t1.identity.fwRevision).toBe(expected.fwRevision);
    expect(t1.output.voltageV).toBeGreaterThan(40); // the sweep itself went on
    expect(psu.mfrIdFailures).toBe(1);
    expect(errors).toHaveLength(1);
    expect(isOrv3Error(errors[0], ErrorCode.PmbusNack), String(errors[0])).toBe(true);

    await sweep();
    expect(psu.mfrIdFailures).toBe(2); // tried again, failed again

    faults.dead = false;
    const before = tx();
    const t3 = await sweep();
    expect(t3.identity.manufacturer).toBe(expected.manufacturer);
    expect(t3.identity.model).toBe(expected.model);
    await sweep();
    expect(tx()).toBe(before + 1); // settled: one read after the recovery, none since
    expect(psu.mfrIdFailures).toBe(2);
  });

  it('a corrupted PEC is an error, never data: null until a clean read', async () => {
    const { sweep, faults, expected, errors, psu, pmbus } = rig();
    faults.corruptPec = true;
    const t1 = await sweep();
    expect(t1.identity.manufacturer).toBeNull();
    expect(t1.identity.serial).toBe(expected.serial);
    expect(pmbus.counters(PSU_ADDR).pecErrors).toBe(1);
    expect(isOrv3Error(errors[0], ErrorCode.PmbusPec), String(errors[0])).toBe(true);
    expect(psu.mfrIdFailures).toBe(1);
    faults.corruptPec = false;
    expect((await sweep()).identity.manufacturer).toBe(expected.manufacturer);
  });

  it.each([
    { what: 'NUL and space padding', data: ascii(' Acme Power  \0\0\0\0'), want: 'Acme Power' },
    { what: 'an erased EEPROM (0xFF)', data: new Uint8Array(16).fill(0xff), want: null },
    { what: 'all NULs', data: new Uint8Array(8), want: null },
    { what: 'UTF-8, not ASCII', data: Uint8Array.of(0x41, 0x63, 0xc3, 0xa9), want: null },
    { what: 'Latin-1 bytes', data: Uint8Array.of(0x41, 0x63, 0xe9), want: null },
    { what: 'a NUL inside the name', data: ascii('Ac\0me'), want: null },
    { what: 'a control character', data: ascii('Acme\tPower'), want: null },
  ])('MFR_ID with $what over the wire → $want, settled', async ({ data, want }) => {
    const { sweep, faults, tx, errors, psu, expected } = rig();
    faults.mfrId = data;
    const t = await sweep();
    expect(t.identity.manufacturer).toBe(want);
    expect(t.identity.model).toBe(expected.model);
    await sweep();
    expect(tx()).toBe(1); // an answer (even an unusable one) is not retried
    expect(psu.mfrIdFailures).toBe(0);
    expect(errors).toEqual([]);
  });

  it('mfrIdText: printable ASCII or null, and no longer than the command allows', () => {
    expect(mfrIdText(ascii('ACME'))).toBe('ACME');
    expect(mfrIdText(ascii('\0 ACME \0'))).toBe('ACME');
    expect(mfrIdText(ascii('A~ !'))).toBe('A~ !');
    expect(mfrIdText(new Uint8Array(0))).toBeNull();
    expect(mfrIdText(Uint8Array.of(0x7f))).toBeNull();
    expect(mfrIdText(ascii('x'.repeat(32)), 32)).toBe('x'.repeat(32));
    expect(mfrIdText(ascii('x'.repeat(33)), 32)).toBeNull();
  });
});

describe('PSU manufacturer through the gateway (driverFor gives the PMBus link)', () => {
  const scenario = () =>
    inlineScenario({
      name: 'psu-mfr',
      durationS: 60,
      zone: { preset: 'orv3-hpr-33kw' },
      load: { kind: 'constant', watts: 15000 },
      grid: { nominalVac: 277, events: [] },
    });

  async function started(opts: Parameters<typeof createSimGateway>[1]) {
    const sg = createSimGateway(scenario(), { inventory: true, ...opts });
    let up = false;
    const starting = sg.gateway.start().then(() => (up = true));
    while (!up) await lockstep(sg.sim, 100);
    await starting;
    await lockstep(sg.sim, 1500);
    return sg;
  }

  it('every PSU reports the simulated maker; a corrupted MFR_ID PEC on one leaves only it null', async () => {
    const rated = scenario().zone.psuRatedW;
    const maker = identity('hpr', 'psu', 0, rated).manufacturer;
    let corrupting = true;
    const sg = await started({
      corruptPmbus: (_shelf, address, command, rx) => {
        if (corrupting && address === PSU_ADDR && command === MFR_ID) rx[rx.length - 1]! ^= 1;
      },
    });
    const psus = sg.gateway.deviceDrivers.filter((d) => d.kind === 'psu');
    expect(psus).toHaveLength(6);
    for (const d of psus) {
      const t = sg.gateway.psu(d.unit)!;
      expect(t.identity.model).toMatch(/^SIM-HPR-PSU/);
      expect(t.identity.serial).toMatch(/\S/);
      expect(t.identity.manufacturer).toBe(d.pmbusAddress === PSU_ADDR ? null : maker);
    }
    const first = psus.find((d) => d.pmbusAddress === PSU_ADDR)!;
    expect(first.kind === 'psu' && first.mfrIdFailures).toBeGreaterThanOrEqual(1);
    // Journalled once for that unit, however many sweeps failed.
    await lockstep(sg.sim, 1500);
    expect(first.kind === 'psu' && first.mfrIdFailures).toBeGreaterThanOrEqual(2);
    const logged = sg.gateway.journal
      .entries()
      .filter((e) => e.messageId === 'OpenRackGateway.1.0.IdentityReadFailed');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.subject).toBe(`psu-${first.unit}`);
    corrupting = false;
    await lockstep(sg.sim, 1500);
    expect(sg.gateway.psu(first.unit)!.identity.manufacturer).toBe(maker);
    const stopping = sg.gateway.stop();
    await lockstep(sg.sim, 50);
    await stopping;
  });
});
