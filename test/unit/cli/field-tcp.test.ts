/**
 * The field commands against a real Modbus TCP server: `orv3gw sim serve --modbus-tcp` started
 * in-process on a loopback port, the simulated shelf running in real time behind it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runFieldCli } from '../../../src/cli/field/standalone.js';
import { startServe } from '../../../src/cli/serve-command.js';
import type { ServeHandle } from '../../../src/cli/serve-command.js';
import { capture } from '../../support/capture.js';

const run = (...args: string[]) => runFieldCli(['node', 'orv3gw', ...args]);

describe('field commands over Modbus TCP against `sim serve`', () => {
  let serve: ServeHandle;
  let endpoint: string;

  beforeAll(async () => {
    serve = await startServe({ tcp: '127.0.0.1:0', speed: 1, out: () => {} });
    endpoint = `127.0.0.1:${serve.tcpAddress!.port}`;
  });
  afterAll(async () => {
    serve.stop();
    await serve.done;
  });
  afterEach(() => vi.restoreAllMocks());

  it('scan finds the 12 devices; the gateway’s 0x0B for empty addresses counts as silence', async () => {
    const c = capture();
    expect(await run('scan', '--modbus-tcp', endpoint, '--json')).toBe(0);
    vi.restoreAllMocks();
    const r = JSON.parse(c.out()) as { devices: { address: number }[]; anomalies: unknown[] };
    expect(r.devices.map((d) => d.address)).toEqual([
      48, 49, 50, 51, 52, 53, 144, 145, 146, 147, 148, 149,
    ]);
    expect(r.anomalies).toEqual([]);
  });

  it('read, refused write, write, monitor', async () => {
    let c = capture();
    expect(await run('read', '--modbus-tcp', endpoint, '145', 'PSU_Output_Voltage', '--json')).toBe(
      0,
    );
    vi.restoreAllMocks();
    const v = (JSON.parse(c.out()) as { registers: { value: number }[] }).registers[0]!.value;
    expect(v).toBeCloseTo(serve.sim.instruments.busV, 0);

    const bbu = serve.sim.devices.modbus(50)!;
    c = capture();
    expect(await run('write', '--modbus-tcp', endpoint, '50', 'System_Control_Mode', '3')).toBe(2);
    vi.restoreAllMocks();
    expect(c.err()).toMatch(/--yes-i-mean-it/);
    expect(bbu.counters.writes).toBe(0);
    expect(bbu.readHoldingRegisters(306, 1)[0]).toBe(0);

    c = capture();
    expect(
      await run(
        'write',
        '--modbus-tcp',
        endpoint,
        '50',
        'System_Control_Mode',
        '3',
        '--yes-i-mean-it',
      ),
    ).toBe(0);
    vi.restoreAllMocks();
    expect(c.out()).toMatch(/before\s+0\n\s+wrote\s+3\n\s+after\s+3\n/);
    expect(bbu.counters.writes).toBe(1);
    expect(bbu.readHoldingRegisters(306, 1)[0]).toBe(3);

    c = capture();
    expect(
      await run('monitor', '--modbus-tcp', endpoint, '--once', '--addresses', '144-149,48-53'),
    ).toBe(0);
    vi.restoreAllMocks();
    const rows = c
      .out()
      .split('\n')
      .filter((l) => /^ {0,2}\d{2,3}\s+(PSU|BBU)\s/.test(l));
    expect(rows).toHaveLength(12);
    expect(rows.find((l) => l.includes(' 50 '))).toMatch(/mode 3 system/);
  });

  it('exits 1 with the transport error when nothing listens', async () => {
    const c = capture();
    const code = await run('read', '--modbus-tcp', '127.0.0.1:1', '144', 'PSU_Output_Voltage');
    vi.restoreAllMocks();
    expect(code).toBe(1);
    expect(c.err()).toMatch(/E406_TRANSPORT_IO: connect to 127\.0\.0\.1:1 failed/);
  });
});
