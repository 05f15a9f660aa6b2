import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli.js';
import { REPO, SHARED_DIR } from '../../support/sim.js';
import { capture } from '../../support/capture.js';

const run = (...args: string[]) => main(['node', 'orv3gw', ...args]);

describe('orv3gw sim', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the DESIGN §6 result object with --json and writes a trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orv3gw-'));
    const c = capture();
    const code = await run(
      'sim',
      '--scenario',
      resolve(REPO, 'sim/scenarios/sag-0.8pu-500ms-at-80pct.json'),
      '--json',
      '--trace',
      join(dir, 't.csv'),
      '--trace-every-ms',
      '100',
      '--shared-dir',
      SHARED_DIR,
    );
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const r = JSON.parse(c.out()) as Record<string, unknown>;
    for (const k of [
      'scenario',
      'gateway',
      'rideThrough',
      'loadDropped',
      'pfaprS',
      'minBusV',
      'bbuNativeTriggers',
      'psuOverloadEvents',
      'maxGridRampWPerS',
      'bbuEnergyWh',
      'minBbuSocPct',
      'criteriaPassed',
    ])
      expect(r).toHaveProperty(k);
    expect(r.scenario).toBe('sag-0.8pu-500ms-at-80pct');
    expect(r.gateway).toBe(false);
    const lines = readFileSync(join(dir, 't.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^t_s,grid_pu,vac_v,bus_v/);
    // 25 s at one row per 100 ms, plus the header.
    expect(lines.length).toBeGreaterThanOrEqual(250);
    expect(lines.length).toBeLessThanOrEqual(252);
  });

  it('prints a readable table by default', async () => {
    const c = capture();
    const code = await run('sim', '-s', resolve(REPO, 'sim/scenarios/sag-0pu-20ms-at-80pct.json'));
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(c.out()).toMatch(/ride-through\s+yes/);
    expect(c.out()).toMatch(/BBU native triggers\s+0/);
  });

  it('exits 1 with an error naming the field for a bad scenario, and 1 for malformed JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orv3gw-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        name: 'bad',
        durationS: 5,
        seed: 1,
        zone: { preset: 'orv3-nope' },
        load: { kind: 'constant', watts: 1 },
        grid: { events: [] },
        criteria: {},
      }),
    );
    let c = capture();
    expect(await run('sim', '-s', bad)).toBe(1);
    vi.restoreAllMocks();
    expect(c.err()).toContain('zone.preset');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "name": "x", ');
    c = capture();
    expect(await run('sim', '-s', broken)).toBe(1);
    vi.restoreAllMocks();
    expect(c.err()).toMatch(/broken\.json/);
  });

  it('refuses `run` without --sim until hardware transports exist', async () => {
    const c = capture();
    expect(await run('run')).toBe(2);
    vi.restoreAllMocks();
    expect(c.err()).toMatch(/--sim/);
  });
});

/** Shelf seconds from the end of discovery to the stop, from the command's own lines. */
function stopAfterDiscoveryS(out: string): number {
  const found = /discovered \d+ devices in (\d+\.\d) s of bus time/.exec(out);
  const stopped = /stopped at t=(\d+\.\d) s/.exec(out);
  expect(found).not.toBeNull();
  expect(stopped).not.toBeNull();
  return Number(stopped![1]) - Number(found![1]);
}

describe('orv3gw run --sim', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs the control loop on the embedded demo shelf and rides through its sag at t=30 s', async () => {
    const c = capture();
    // Faster than this box can step the loop: the shelf slips behind the wall clock, which the
    // command reports; the simulated run is the same.
    const code = await run(
      'run',
      '--sim',
      '--speed',
      '50',
      '--duration',
      '20',
      '--redfish-listen',
      '127.0.0.1:0',
    );
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const out = c.out();
    expect(out).toMatch(/gateway on the simulated shelf "demo-live".*control loop on/);
    expect(out).toMatch(/discovered 12 devices/);
    // The loop's own view over PMBus, its rate on the shelf's clock, then the slow lane's.
    expect(out).toMatch(/control mode autonomous → normal/);
    expect(out).toMatch(
      /control normal: AC 2\d\d V \(normal\) {2}bus 5\d\.\d\d V {2}load \d+\.\d kW {2}BBU \d+\.\d kW {2}\d{3,4} ticks\/s 0 overruns/,
    );
    expect(out).toMatch(/\| slow lane: bus 5\d\.\d\d V \(age \d+ ms\)/);
    expect(out).toMatch(/devices 12 live 0 dormant/);
    // The 0 p.u. × 150 ms sag at t=30 s: the loop rides it on the BBUs and hands back.
    expect(out).toMatch(/t=30\.\d s: control mode normal → ride: AC sag/);
    expect(out).toMatch(/control mode ride → recover/);
    expect(out).toMatch(/t=30\.\d s: control mode recover → normal/);
    const summary =
      /control loop: (\d+) ticks, (\d+) overruns, .* lowest bus it read (\d+\.\d+) V/.exec(out);
    expect(summary).not.toBeNull();
    // Discovery takes ~11.3 s of bus time; the loop ticks at 1 kHz from then on.
    expect(Number(summary![1])).toBeGreaterThan(19_000);
    expect(Number(summary![2])).toBe(0);
    // The bus the loop read never fell to the BBUs' native 48.5 V trigger.
    expect(Number(summary![3])).toBeGreaterThan(48.5);
    // --duration counts paced time from the end of discovery.
    expect(stopAfterDiscoveryS(out)).toBeCloseTo(20, 1);
  });

  it('polls only with --no-control: the fast lane gives bus and AC at 1 kHz', async () => {
    const c = capture();
    const code = await run(
      'run',
      '--sim',
      '--no-control',
      '--speed',
      '50',
      '--duration',
      '3',
      '--redfish-listen',
      '127.0.0.1:0',
    );
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const out = c.out();
    expect(out).toMatch(/gateway on the simulated shelf "demo-live".*polling only \(no control\)/);
    expect(out).toMatch(/discovered 12 devices/);
    expect(out).toMatch(/AC min 2\d\d V {2}bus 5\d\.\d\d V \(age \d\.\d ms\)/);
    expect(out).toMatch(/devices 12 live 0 dormant {2}fast lane \d+ Hz/);
    expect(out).not.toMatch(/control (loop|mode)/);
    expect(stopAfterDiscoveryS(out)).toBeCloseTo(3, 1);
  });

  it('documents --no-control in `run --help`', async () => {
    const c = capture();
    expect(await run('run', '--help')).toBe(0);
    vi.restoreAllMocks();
    expect(c.out()).toMatch(/--no-control +no 1 kHz control loop: the gateway only polls/);
  });

  it('stops cleanly on SIGTERM during discovery, with the shelf living on until the sweep ends', async () => {
    const before = new Set(process.listeners('SIGTERM'));
    const c = capture();
    const running = run('run', '--sim', '--redfish-listen', '127.0.0.1:0');
    // The handler `run` installed, called directly: no real signal reaches the test runner.
    await new Promise((r) => setImmediate(r));
    const added = process.listeners('SIGTERM').filter((l) => !before.has(l));
    expect(added).toHaveLength(1);
    added[0]!('SIGTERM');
    expect(await running).toBe(0);
    vi.restoreAllMocks();
    expect(c.out()).toMatch(/stopped during discovery at t=\d+\.\d s/);
    expect(c.out()).not.toMatch(/Redfish service at/);
    expect(process.listeners('SIGTERM').filter((l) => !before.has(l))).toHaveLength(0);
  });
});
