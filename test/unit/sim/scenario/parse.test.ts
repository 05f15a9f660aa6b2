import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PHYSICS, ZONE_PRESETS } from '../../../../sim/params.js';
import { defaultSharedDir, parseScenario } from '../../../../sim/scenario/index.js';

const base = () => ({
  name: 'x',
  durationS: 20,
  seed: 7,
  zone: { preset: 'orv3-hpr-33kw' } as Record<string, unknown>,
  load: { kind: 'constant', watts: 1000 } as Record<string, unknown>,
  grid: { events: [] } as Record<string, unknown>,
  criteria: {},
});

describe('parseScenario defaults and merging', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('fills grid, criteria, initial and description defaults', () => {
    const s = parseScenario(base());
    expect(s.grid).toEqual({ nominalVac: 277, frequencyHz: 60, events: [] });
    expect(s.criteria).toEqual({ noLoadDrop: true });
    expect(s.initial.socPct).toBe(DEFAULT_PHYSICS.bbu.initialSocPct);
    expect(s.description).toBe('');
    expect(s.source).toEqual({ file: null, baseDir: resolve('.') });
    const orv3 = parseScenario({ ...base(), zone: { preset: 'orv3-18kw' } });
    expect(orv3.grid.nominalVac).toBe(230);
    expect(orv3.zone.family).toBe('orv3');
  });

  it('sorts events and fills their ramp and frequency', () => {
    const s = parseScenario({
      ...base(),
      grid: {
        frequencyHz: 50,
        events: [
          { atS: 5, pu: 0.5, durationMs: 100, frequencyHz: 49 },
          { atS: 2, pu: 0, durationMs: 100 },
        ],
      },
    });
    expect(s.grid.events).toEqual([
      { atS: 2, pu: 0, durationMs: 100, rampMs: 0, frequencyHz: 50 },
      { atS: 5, pu: 0.5, durationMs: 100, rampMs: 0, frequencyHz: 49 },
    ]);
  });

  it('merges physics: defaults ← preset BBU ← scenario ← initial.socPct', () => {
    const preset = ZONE_PRESETS['orv3-hpr-33kw']!;
    const s = parseScenario({
      ...base(),
      physics: { bbu: { nativeTriggerV: 48.2 }, step: { fineStepUs: 20 } },
      initial: { socPct: 60 },
    });
    expect(s.bbuOverrides).toEqual(preset.bbu);
    expect(s.physics.bbu.cells).toBe(preset.bbu!.cells);
    expect(s.physics.bbu.nativeTriggerV).toBe(48.2);
    expect(s.physics.bbu.initialSocPct).toBe(60);
    expect(s.initial.socPct).toBe(60);
    expect(s.physics.step.fineStepUs).toBe(20);
    expect(s.physics.psu).toEqual(DEFAULT_PHYSICS.psu);
    // DEFAULT_PHYSICS itself is untouched, and the result is deeply frozen.
    expect(DEFAULT_PHYSICS.bbu.initialSocPct).not.toBe(60);
    expect(Object.isFrozen(s.physics.bbu)).toBe(true);
    expect(Object.isFrozen(s.grid.events)).toBe(true);
  });

  it('applies zone overrides on a preset and accepts an explicit zone', () => {
    const s = parseScenario({ ...base(), zone: { preset: 'orv3-hpr-33kw', shelves: 2 } });
    expect(s.zone).toMatchObject({ family: 'hpr', shelves: 2, psuRatedW: 5500 });
    const explicit = {
      family: 'hpr',
      shelves: 1,
      psusPerShelf: 6,
      psuRatedW: 5500,
      bbusPerShelf: 6,
      bbuRatedW: 5500,
      bbuEnergyWh: 150,
      busNominalV: 50,
    };
    const e = parseScenario({ ...base(), zone: explicit });
    expect(e.zone).toEqual(explicit);
    expect(e.physics.bbu.cells).toBe(12); // fact: HPR packs have 12 cells
    const { family: _f, ...orv3 } = explicit;
    expect(parseScenario({ ...base(), zone: orv3 }).zone.family).toBe('orv3');
  });

  it('resolves data paths: $SHARED/ to the shared folder, others to the scenario folder', () => {
    const trace = { kind: 'trace', file: '$SHARED/traces/a.csv' };
    const s = parseScenario(
      { ...base(), load: trace },
      { file: '/repo/sim/scenarios/x.json', sharedDir: '/data' },
    );
    expect(s.load).toEqual({ kind: 'trace', file: '/data/traces/a.csv' });
    const rel = parseScenario(
      { ...base(), load: { kind: 'trace', file: 'data/b.csv' } },
      { file: '/repo/s/x.json' },
    );
    expect(rel.load).toEqual({ kind: 'trace', file: '/repo/s/data/b.csv' });
    expect(rel.source).toEqual({ file: '/repo/s/x.json', baseDir: '/repo/s' });
  });

  it('finds the shared folder from the environment or beside the repository', () => {
    vi.stubEnv('ORV3GW_SHARED_DIR', '/somewhere/shared');
    expect(defaultSharedDir()).toBe('/somewhere/shared');
    vi.stubEnv('ORV3GW_SHARED_DIR', '');
    const repo = resolve(import.meta.dirname, '../../../..');
    expect(defaultSharedDir()).toBe(join(repo, '..', 'shared'));
  });
});
