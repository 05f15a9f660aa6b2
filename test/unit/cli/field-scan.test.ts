/**
 * `orv3gw scan` on the in-process simulated shelf: discovery over every map's address ranges
 * through the real RTU client on the simulated line, identity and probe latency per device.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runFieldCli } from '../../../src/cli/field/standalone.js';
import { REPO } from '../../support/sim.js';
import { capture } from '../../support/capture.js';

const run = (...args: string[]) => runFieldCli(['node', 'orv3gw', ...args]);
const SAG = resolve(REPO, 'sim/scenarios/sag-0.8pu-500ms-at-80pct.json');
const HPR_SHELF = [48, 49, 50, 51, 52, 53, 144, 145, 146, 147, 148, 149];

interface ScanJson {
  devices: { address: number; family: string; kind: string; model: string; latencyMs: number }[];
  anomalies: unknown[];
  probed: number;
  silent: number;
  skippedFamilies: string[];
}

describe('orv3gw scan --sim', () => {
  afterEach(() => vi.restoreAllMocks());

  it('finds exactly the 12 devices of the demo HPR shelf, with identity and latency', async () => {
    const c = capture();
    const code = await run('scan', '--sim', '--json');
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const r = JSON.parse(c.out()) as ScanJson;
    expect(r.devices.map((d) => d.address)).toEqual(HPR_SHELF);
    expect(r.devices.filter((d) => d.kind === 'psu').every((d) => d.family === 'hpr-psu')).toBe(
      true,
    );
    expect(r.devices.filter((d) => d.kind === 'bbu')).toHaveLength(6);
    expect(r.devices[6]!.model).toBe('SIM-HPR-PSU-5K5');
    // One register read at 115200 baud is a few ms of modelled wire time.
    for (const d of r.devices) expect(d.latencyMs).toBeGreaterThan(1);
    for (const d of r.devices) expect(d.latencyMs).toBeLessThan(10);
    expect(r.anomalies).toEqual([]);
    expect(r.silent).toBe(r.probed - 12);
    // The ORv3 maps run at 19200 baud: not scanned on a 115200 baud line.
    expect(r.skippedFamilies).toEqual(['orv3-psu', 'orv3-bbu']);
  });

  it('prints a table for a library scenario, limited by --addresses', async () => {
    const c = capture();
    const code = await run('scan', '--sim', '--scenario', SAG, '--addresses', '144-146,48,30');
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const out = c.out();
    expect(out).toMatch(/sag-0\.8pu-500ms-at-80pct/);
    expect(out).toMatch(/^addr\s+family\s+kind\s+model\s+serial\s+fw\s+latency ms$/m);
    expect(out).toMatch(/^ 144\s+hpr-psu\s+PSU\s+SIM-HPR-PSU-5K5\s+SIMHPRPSU00000\s+SIM1\.0/m);
    expect(out).toMatch(/4 device\(s\), 0 anomalies, 0 silent of 4 probed/);
    expect(out).toMatch(/in no address range of the selected maps \(not probed\): 30/);
  });

  it('with --family orv3 on the HPR shelf finds nothing and says why', async () => {
    const c = capture();
    expect(await run('scan', '--sim', '--family', 'orv3')).toBe(0);
    vi.restoreAllMocks();
    expect(c.out()).toMatch(/0 device\(s\)/);
    expect(c.out()).toMatch(
      /skipped \(map baud rate is not the line's 115200\): orv3-psu, orv3-bbu/,
    );
  });

  it('exits 2 on usage errors: malformed list, no or two transports, bad family', async () => {
    const cases: [string[], RegExp][] = [
      [['--sim', '--addresses', '200-x'], /malformed device address "x"/],
      [['--sim', '--addresses', '205-200'], /malformed address list/],
      [[], /exactly one of --sim, --modbus-tcp/],
      [['--sim', '--modbus-tcp', '127.0.0.1:1502'], /exactly one of/],
      [['--sim', '--family', 'xyz'], /--family must be orv3, hpr or auto/],
      [['--modbus-tcp', 'nope'], /is not HOST:PORT/],
      [
        ['--modbus-tcp', '127.0.0.1:1', '--scenario', SAG],
        /--scenario and --shared-dir go with --sim/,
      ],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      const code = await run('scan', ...args);
      vi.restoreAllMocks();
      expect(code, args.join(' ')).toBe(2);
      expect(c.err()).toMatch(message);
    }
  });

  it('exits 1 with the transport error when the port cannot be opened', async () => {
    const c = capture();
    expect(await run('scan', '--port', '/dev/orv3gw-no-such-tty', '--baud', '115200')).toBe(1);
    vi.restoreAllMocks();
    expect(c.err()).toMatch(/E406_TRANSPORT_IO: cannot open \/dev\/orv3gw-no-such-tty/);
  });
});
