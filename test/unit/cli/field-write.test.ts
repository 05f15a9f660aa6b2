/**
 * `orv3gw write` on the in-process simulated shelf: refused without --yes-i-mean-it (and then
 * nothing is even opened), bounds-checked before the wire, before/after printed, and the PSU's
 * write-enable gate explained or run through the driver.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runFieldCli } from '../../../src/cli/field/standalone.js';
import type { Simulation } from '../../../sim/simulation.js';
import { capture } from '../../support/capture.js';

function runner(): {
  run: (...args: string[]) => Promise<number>;
  sim: () => Simulation | undefined;
} {
  let sim: Simulation | undefined;
  return {
    run: (...args) => runFieldCli(['node', 'orv3gw', ...args], { onSimulation: (s) => (sim = s) }),
    sim: () => sim,
  };
}

/** One word as the simulated device holds it (read straight from its register façade). */
const word = (sim: Simulation, unit: number, reg: number): number =>
  sim.devices.modbus(unit)!.readHoldingRegisters(reg, 1)[0]!;

const SYSTEM_CONTROL_MODE = 306;
const VOUT_SETPOINT = 103;

describe('orv3gw write --sim', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses without --yes-i-mean-it (exit 2, says why) and sends nothing', async () => {
    const r = runner();
    const c = capture();
    expect(await r.run('write', '--sim', '48', 'System_Control_Mode', '1')).toBe(2);
    vi.restoreAllMocks();
    expect(c.err()).toMatch(/refusing to write System_Control_Mode \(register 306\) of unit 48/);
    expect(c.err()).toMatch(/--yes-i-mean-it \(nothing was sent\)/);
    // Refused before the connection: no simulated shelf was even built, so no wire existed.
    expect(r.sim()).toBeUndefined();
  });

  it('with the flag, writes a BBU System_Control_Mode and prints before/after', async () => {
    const r = runner();
    const c = capture();
    const code = await r.run('write', '--sim', '48', 'System_Control_Mode', '2', '--yes-i-mean-it');
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(c.out()).toMatch(/before\s+0\n\s+wrote\s+2\n\s+after\s+2\n/);
    const sim = r.sim()!;
    expect(word(sim, 48, SYSTEM_CONTROL_MODE)).toBe(2);
    expect(word(sim, 49, SYSTEM_CONTROL_MODE)).toBe(0);
    expect(sim.devices.modbus(48)!.counters.writes).toBe(1);
  });

  it('accepts a register number with a raw word, and --json', async () => {
    const r = runner();
    const c = capture();
    const code = await r.run('write', '--sim', '49', '306', '0x0001', '--yes-i-mean-it', '--json');
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const j = JSON.parse(c.out()) as { before: { value: number }; after: { value: number } };
    expect([j.before.value, j.after.value]).toEqual([0, 1]);
    expect(word(r.sim()!, 49, SYSTEM_CONTROL_MODE)).toBe(1);
  });

  it('refuses out-of-bounds values before the wire (E502 naming the bounds, exit 1)', async () => {
    for (const [unit, reg, value, bounds] of [
      ['48', 'System_Control_Mode', '4', /value 4 is outside the allowed range \[0, 3\]/],
      ['48', 'Forced_Discharge_Time', '301', /value 301 s is outside the allowed range \[0, 300\]/],
      ['144', 'Vout_Setpoint', '52', /value 52 V is outside the allowed range \[48, 51\]/],
      ['48', 'Battery_Voltage', '1', /"Battery_Voltage" \(begin 96\) of hpr-bbu is read-only/],
      ['144', 'PSU_Setting_Register', '0x0004', /sets bits the map does not define/],
    ] as const) {
      const r = runner();
      const c = capture();
      const code = await r.run('write', '--sim', unit, reg, value, '--yes-i-mean-it');
      vi.restoreAllMocks();
      expect(code, `${reg} ${value}`).toBe(1);
      expect(c.err()).toMatch(/E502_COMMAND_OUT_OF_BOUNDS/);
      expect(c.err()).toMatch(bounds);
      expect(r.sim()).toBeUndefined();
    }
  });

  it('exits 2 for a malformed value, an unknown name or a multi-word register by number', async () => {
    for (const [args, message] of [
      [['48', 'System_Control_Mode', 'one'], /malformed value "one"/],
      [['48', 'System_Control_Mode', '1.5'], /takes an integer/],
      [['48', 'System_Control_Mod', '1'], /did you mean System_Control_Mode/],
      [['48', '101', '5'], /"Wall_Clock_Time" \(begin 101, 2 words\): write it by name/],
    ] as const) {
      const c = capture();
      const code = await runner().run('write', '--sim', ...args, '--yes-i-mean-it');
      vi.restoreAllMocks();
      expect(code, args.join(' ')).toBe(2);
      expect(c.err()).toMatch(message);
    }
  });

  it('explains the PSU write-enable gate when a locked PSU ignores a setpoint', async () => {
    const r = runner();
    const c = capture();
    const code = await r.run('write', '--sim', '144', 'Vout_Setpoint', '50.5', '--yes-i-mean-it');
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(c.out()).toMatch(/before\s+51 V\n\s+wrote\s+50\.5 V\n\s+after\s+51 V/);
    expect(c.out()).toMatch(/acknowledged the write but the value did not change/);
    expect(c.out()).toMatch(/gated by PSU_Setting_Register bit 0.*--with-write-enable/s);
    expect(r.sim()!.devices.modbus(144)!.counters.ignoredWrites).toBe(1);
  });

  it('--with-write-enable runs the sequence through the PSU driver and the setpoint moves', async () => {
    const r = runner();
    const c = capture();
    const code = await r.run(
      'write',
      '--sim',
      '144',
      'Vout_Setpoint',
      '50.5',
      '--yes-i-mean-it',
      '--with-write-enable',
    );
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(c.out()).toMatch(/wrote\s+50\.5 V \(write-enable sequence\)\n\s+after\s+50\.5 V/);
    const sim = r.sim()!;
    expect(word(sim, 144, VOUT_SETPOINT) / 1024).toBeCloseTo(50.5, 3);
    // Locked again afterwards: bit 0 of PSU_Setting_Register reads 0.
    expect(word(sim, 144, 94) & 1).toBe(0);
  });

  it('refuses --with-write-enable where the driver cannot run it, or nothing is gated', async () => {
    let c = capture();
    let code = await runner().run(
      'write',
      '--sim',
      '144',
      'Fan_Duty_Cycle_Override',
      '50',
      '--yes-i-mean-it',
      '--with-write-enable',
    );
    vi.restoreAllMocks();
    expect(code).toBe(2);
    expect(c.err()).toMatch(/Vout setpoints only.*by hand: write PSU_Setting_Register/s);
    c = capture();
    code = await runner().run(
      'write',
      '--sim',
      '48',
      'System_Control_Mode',
      '1',
      '--yes-i-mean-it',
      '--with-write-enable',
    );
    vi.restoreAllMocks();
    expect(code).toBe(2);
    expect(c.err()).toMatch(/needs no write enable/);
  });
});
