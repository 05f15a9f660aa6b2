/**
 * `orv3gw sim serve` end to end: the real-time simulation served on a socat pty and on TCP, read
 * by mbpoll on both, stopped on request and by --duration through the commander wiring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import {
  parseHostPort,
  registerServeCommand,
  startServe,
  type ServeHandle,
} from '../../src/cli/serve-command.js';
import { mbpoll, startPtyPair, warnMissing, type PtyPair } from './support/peers.js';

const missing = warnMissing(['socat', 'mbpoll'], 'orv3gw sim serve with mbpoll');

function scenarioFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orv3gw-serve-'));
  const file = join(dir, 'orv3-constant.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'serve-orv3-constant',
      durationS: 600,
      seed: 1,
      criteria: {},
      zone: { preset: 'orv3-18kw' },
      load: { kind: 'constant', watts: 9000 },
      grid: { nominalVac: 277, events: [] },
    }),
  );
  return file;
}

describe('parseHostPort', () => {
  it('defaults the host to loopback', () => {
    expect(parseHostPort('1502')).toEqual({ host: '127.0.0.1', port: 1502 });
    expect(parseHostPort(':1502')).toEqual({ host: '127.0.0.1', port: 1502 });
    expect(parseHostPort('0.0.0.0:502')).toEqual({ host: '0.0.0.0', port: 502 });
    expect(parseHostPort('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseHostPort('host:99999')).toThrow(/HOST:PORT/);
  });
});

describe.skipIf(missing)('orv3gw sim serve', () => {
  let pair: PtyPair;
  let h: ServeHandle;
  let out = '';

  beforeAll(async () => {
    pair = await startPtyPair();
    h = await startServe({
      scenarioFile: scenarioFile(),
      rtuPath: pair.a,
      parity: 'none',
      tcp: '127.0.0.1:0',
      speed: 1,
      out: (s) => (out += s),
    });
  });

  afterAll(async () => {
    h?.stop();
    await h?.done;
    await pair?.close();
  });

  it('prints the device address table and the transports', () => {
    expect(out).toMatch(/psu\s+orv3-psu\s+0\s+0\s+200\s+0x58/);
    expect(out).toMatch(/bbu\s+orv3-bbu\s+0\s+5\s+69\s+0x45/);
    expect(out).toContain(`Modbus RTU  ${pair.a} at 19200 baud`);
    expect(out).toContain(`Modbus TCP  127.0.0.1:${h.tcpAddress!.port}`);
  });

  it('mbpoll reads the same live register over RTU and over TCP', async () => {
    // Input voltage is constant in this scenario, so both reads must agree exactly.
    const rtu = await mbpoll(
      [
        '-m',
        'rtu',
        '-b',
        '19200',
        '-P',
        'none',
        '-a',
        '201',
        '-0',
        '-r',
        '88',
        '-1',
        '-o',
        '1',
      ].concat(pair.b),
    );
    const tcp = await mbpoll(
      ['-m', 'tcp', '-p', String(h.tcpAddress!.port), '-a', '201', '-0', '-r', '88', '-1'].concat(
        '127.0.0.1',
      ),
    );
    expect(rtu.code, rtu.stderr).toBe(0);
    expect(tcp.code, tcp.stderr).toBe(0);
    const vac = rtu.values.get(88)! / 64; // FLOAT with 6 fractional bits
    expect(vac).toBeCloseTo(277, 0);
    expect(tcp.values.get(88)).toBe(rtu.values.get(88));
    expect(h.sim.tUs).toBeGreaterThan(0); // the physics follows the wall clock
  });

  it('stops on request and closes both transports', async () => {
    h.stop();
    await h.done;
    expect(out).toMatch(/stopped at t=\d+\.\d s/);
    expect(out).toMatch(/Modbus RTU: bytesIn \d+/);
    const after = await mbpoll(
      ['-m', 'tcp', '-p', String(h.tcpAddress!.port), '-a', '201', '-r', '1', '-1'].concat(
        '127.0.0.1',
      ),
    );
    expect(after.code).not.toBe(0);
  });
});

describe.skipIf(missing)('orv3gw sim serve through commander', () => {
  it('stops by itself at --duration', async () => {
    const program = new Command().exitOverride();
    // The shape of src/cli.ts: `sim` owns --scenario/--shared-dir, `serve` reads them as globals.
    const sim = program.command('sim').option('-s, --scenario <file>').option('--shared-dir <d>');
    registerServeCommand(sim);
    let printed = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string | Uint8Array) => {
      printed += String(s);
      return true;
    }) as typeof process.stdout.write;
    const t0 = performance.now();
    try {
      await program.parseAsync(
        ['sim', 'serve', '--scenario', scenarioFile(), '--modbus-tcp', '0', '--duration', '0.5'],
        { from: 'user' },
      );
    } finally {
      process.stdout.write = write;
    }
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(printed).toContain('serve-orv3-constant');
    expect(printed).toMatch(/stopped at t=0\.5 s/);
  });
});

describe('orv3gw sim serve in its own process', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops cleanly on ${signal}`, async () => {
      const main = fileURLToPath(new URL('./support/serve-main.ts', import.meta.url));
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', main, 'sim', 'serve', '-s', scenarioFile(), '--modbus-tcp', '0'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let sent = false;
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // Once: a second signal after the handlers are gone would kill it (as it should).
        if (!sent && out.includes('Modbus TCP  ')) sent = child.kill(signal);
      });
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      clearTimeout(kill);
      expect(code).toBe(0);
      expect(out).toMatch(/stopped at t=\d+\.\d s/);
      expect(out).toContain('Modbus TCP: connections 0');
    });
  }
});
