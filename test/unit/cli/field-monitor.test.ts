/**
 * `orv3gw monitor` on the in-process simulated shelf: discovery, then telemetry sweeps through
 * the PSU/BBU drivers; `--once` prints one table of one row per device.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runFieldCli } from '../../../src/cli/field/standalone.js';
import { REPO } from '../../support/sim.js';
import { capture } from '../../support/capture.js';

const run = (...args: string[]) => runFieldCli(['node', 'orv3gw', ...args]);
const SAG = resolve(REPO, 'sim/scenarios/sag-0.8pu-500ms-at-80pct.json');
const ROW = /^ {0,2}\d{2,3}\s+(PSU|BBU)\s/;

describe('orv3gw monitor --sim', () => {
  afterEach(() => vi.restoreAllMocks());

  it('--once prints one table of 12 rows with PSU and BBU telemetry in SI units', async () => {
    const c = capture();
    expect(await run('monitor', '--sim', '--once')).toBe(0);
    vi.restoreAllMocks();
    const lines = c.out().split('\n');
    const rows = lines.filter((l) => ROW.test(l));
    expect(rows).toHaveLength(12);
    expect(lines.filter((l) => l.startsWith('sweep '))).toHaveLength(1);
    const psu = rows.find((l) => l.includes(' 144 '))!;
    expect(psu).toMatch(
      /PSU\s+ok\s+Vin 27\d\.\d V {2}Pin \d+ W {2}Vout 5\d\.\d\d V {2}Iout \d+\.\d A {2}alarms -/,
    );
    const bbu = rows.find((l) => l.includes(' 48 '))!;
    expect(bbu).toMatch(
      /BBU\s+full\s+SoC 100\.0 % {2}V 5\d\.\d\d V {2}I -?\d+\.\d\d A {2}bus 5\d\.\d\d V {2}mode 0 native/,
    );
  });

  it('--once --json on a library scenario: one line, 12 rows with their numbers', async () => {
    const c = capture();
    expect(await run('monitor', '--sim', '--scenario', SAG, '--once', '--json')).toBe(0);
    vi.restoreAllMocks();
    const lines = c.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!) as {
      sweep: number;
      rows: { address: number; kind: string; values: Record<string, number> }[];
    };
    expect(j.sweep).toBe(1);
    expect(j.rows).toHaveLength(12);
    const psus = j.rows.filter((r) => r.kind === 'psu');
    expect(psus).toHaveLength(6);
    // 80 % of the 33 kW shelf shared by six PSUs, each well above 3 kW at the input.
    for (const p of psus) expect(p.values.pinW).toBeGreaterThan(3000);
    for (const p of psus) expect(p.values.voutV).toBeGreaterThan(48);
  });

  it('sweeps repeatedly, paced in real time on the simulated shelf', async () => {
    const c = capture();
    const t0 = performance.now();
    expect(
      await run(
        'monitor',
        '--sim',
        '--sweeps',
        '2',
        '--interval-ms',
        '400',
        '--addresses',
        '144,48',
      ),
    ).toBe(0);
    const wallMs = performance.now() - t0;
    vi.restoreAllMocks();
    const times = [...c.out().matchAll(/^sweep \d, shelf t=(\d+\.\d+) s$/gm)].map((m) =>
      Number(m[1]),
    );
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeCloseTo(0.4, 2);
    // The wait between the sweeps took wall time: the shelf is not run ahead of the clock.
    expect(wallMs).toBeGreaterThan(300);
  });

  it('exits 1 when no device answers', async () => {
    const c = capture();
    expect(await run('monitor', '--sim', '--once', '--addresses', '150')).toBe(1);
    vi.restoreAllMocks();
    expect(c.err()).toMatch(/E504_UNKNOWN_DEVICE: no devices found/);
  });
});
