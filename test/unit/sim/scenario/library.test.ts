import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createScenarioLoadModel,
  loadScenarioFile,
  parseScenario,
  type Scenario,
} from '../../../../sim/scenario/index.js';

const LIB = fileURLToPath(new URL('../../../../sim/scenarios/', import.meta.url));
const files = readdirSync(LIB)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** A scenario whose data lives in the shared folder cannot be built where that folder is absent. */
function dataMissing(s: Scenario): string | null {
  if (s.load.kind !== 'trace' && s.load.kind !== 'inference') return null;
  return existsSync(s.load.file) ? null : s.load.file;
}

describe('scenario library (sim/scenarios)', () => {
  it('holds the files the design names', () => {
    for (const f of [
      'sag-0pu-150ms-at-80pct.json',
      'sag-0.8pu-500ms-at-80pct.json',
      'ac-loss-30s-at-rated.json',
      'step-10-to-60pct-10ms.json',
      'training-swing-1hz.json',
      'inference-hour.json',
      'trace-gpu-burst.json',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('sag-')).length).toBeGreaterThanOrEqual(12);
  });

  describe.each(files)('%s', (file) => {
    it('parses, is named after its file, and builds its load', () => {
      const s = loadScenarioFile(join(LIB, file));
      expect(s.name).toBe(basename(file, '.json'));
      expect(s.description.length).toBeGreaterThan(20);
      const missing = dataMissing(s);
      if (missing !== null) {
        console.warn(`\n!!!!! ${file}: load not built, ${missing} is absent !!!!!\n`);
        return;
      }
      const load = createScenarioLoadModel(s);
      const rated = s.zone.shelves * s.zone.psusPerShelf * s.zone.psuRatedW;
      expect(load.peakW).toBeLessThanOrEqual(rated);
      expect(load.meanW).toBeGreaterThan(0);
    });
  });

  it('keeps the DESIGN §6 example exactly as written', () => {
    const s = loadScenarioFile(join(LIB, 'sag-0pu-150ms-at-80pct.json'));
    const example = parseScenario(
      {
        name: 'sag-0pu-150ms-at-80pct',
        durationS: 20,
        seed: 7,
        zone: { preset: 'orv3-hpr-33kw' },
        load: { kind: 'constant', watts: 26400 },
        grid: { nominalVac: 277, events: [{ atS: 2.0, pu: 0.0, durationMs: 150 }] },
        criteria: { pfaprS: 1.0, minBusV: 46.0 },
      },
      { baseDir: LIB },
    );
    expect({ ...s, description: '', source: null }).toEqual({ ...example, source: null });
  });

  it('runs the sags at 80 % of the HPR 33 kW shelf', () => {
    for (const f of files.filter((x) => x.startsWith('sag-') && !x.includes('during'))) {
      const s = loadScenarioFile(join(LIB, f));
      expect(s.load).toEqual({ kind: 'constant', watts: 26400 });
      expect(s.zone.psusPerShelf * s.zone.psuRatedW).toBe(33000);
      expect(s.criteria).toMatchObject({ pfaprS: 1, minBusV: 46 });
      expect(s.grid.events).toHaveLength(1);
    }
  });
});
