import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, Orv3Error } from '../../../../src/errors.js';
import { DEFAULT_PHYSICS } from '../../../../sim/params.js';
import { loadScenarioFile, parseScenario } from '../../../../sim/scenario/index.js';

const dir = mkdtempSync(join(tmpdir(), 'orv3-scn-'));

const good = () => ({
  name: 'x',
  durationS: 20,
  seed: 7,
  zone: { preset: 'orv3-hpr-33kw' } as Record<string, unknown>,
  load: { kind: 'constant', watts: 26400 } as Record<string, unknown>,
  grid: { events: [{ atS: 2, pu: 0, durationMs: 150 }] } as Record<string, unknown>,
  criteria: {},
});

function failure(raw: unknown): Orv3Error {
  try {
    parseScenario(raw, { file: 'scenario.json' });
  } catch (e) {
    expect(e).toBeInstanceOf(Orv3Error);
    return e as Orv3Error;
  }
  throw new Error('expected parseScenario to throw');
}

function lines(e: Orv3Error): string[] {
  return e.message.split('\n');
}

describe('scenario validation errors', () => {
  it('names an unknown field and suggests the near miss', () => {
    const e = failure({ ...good(), criteria: { minBusVolts: 46 }, extra: true });
    expect(e.code).toBe(ErrorCode.ScenarioInvalid);
    expect(lines(e)).toContain(
      'scenario.json: criteria.minBusVolts: unknown field (did you mean minBusV?)',
    );
    expect(lines(e)).toContain('scenario.json: extra: unknown field');
  });

  it('rejects an unknown preset with UnknownPreset, listing the known ones', () => {
    const e = failure({ ...good(), zone: { preset: 'orv3-99kw' } });
    expect(e.code).toBe(ErrorCode.UnknownPreset);
    expect(e.message).toMatch(
      /^scenario\.json: zone\.preset: unknown preset "orv3-99kw" \(known: .*orv3-hpr-33kw/,
    );
  });

  it('names a missing durationS and a negative or zero duration', () => {
    const { durationS: _d, ...rest } = good();
    expect(lines(failure(rest))).toEqual(['scenario.json: durationS: is required']);
    expect(lines(failure({ ...good(), durationS: -1 }))).toEqual([
      'scenario.json: durationS: must be > 0',
    ]);
    const e = failure({
      ...good(),
      grid: {
        events: [
          { atS: 2, pu: 0, durationMs: 100 },
          { atS: 3, pu: 0, durationMs: 0 },
        ],
      },
    });
    expect(lines(e)).toEqual(['scenario.json: grid.events[1].durationMs: must be > 0']);
  });

  it('names a bad physics key by its full path, a wrong type, and a wrong array length', () => {
    const psuKey = Object.keys(DEFAULT_PHYSICS.psu)[0]!;
    const arrayKey = Object.entries(DEFAULT_PHYSICS.bbu).find(([, v]) => Array.isArray(v))![0];
    const e = failure({
      ...good(),
      physics: {
        psu: { [`${psuKey}s`]: 1 },
        bbu: { [arrayKey]: [1, 2], cells: 'twelve' },
        fan: {},
      },
    });
    expect(lines(e)).toEqual([
      `scenario.json: physics.psu.${psuKey}s: unknown field (did you mean ${psuKey}?)`,
      expect.stringMatching(
        new RegExp(
          `^scenario\\.json: physics\\.bbu\\.${arrayKey}: must be an array of \\d+ finite numbers$`,
        ),
      ),
      'scenario.json: physics.bbu.cells: must be a finite number',
      'scenario.json: physics.fan: unknown field',
    ]);
  });

  it('checks grid events: range of pu, overlap, and inside the run', () => {
    const e = failure({
      ...good(),
      grid: {
        events: [
          { atS: 5, pu: 0.5, durationMs: 100 },
          { atS: 2, pu: 0, durationMs: 150, rampMs: 10 },
          { atS: 2.1, pu: 0.7, durationMs: 100 },
          { atS: 19.9, pu: 0.5, durationMs: 500 },
        ],
      },
    });
    expect(lines(e)).toEqual([
      'scenario.json: grid.events[2].atS: overlaps grid.events[1], which lasts until 2.17 s',
      'scenario.json: grid.events[3].durationMs: event ends at 20.4 s, after the run (durationS 20)',
    ]);
    expect(
      lines(failure({ ...good(), grid: { events: [{ atS: 1, pu: 1.6, durationMs: 1 }] } })),
    ).toEqual(['scenario.json: grid.events[0].pu: must be <= 1.5']);
  });

  it('checks the load: unknown kind, missing fields, ordering', () => {
    expect(lines(failure({ ...good(), load: { kind: 'sine' } }))).toEqual([
      'scenario.json: load.kind: must be one of constant, steps, swing, trace, inference (got "sine")',
    ]);
    expect(
      lines(
        failure({ ...good(), load: { kind: 'swing', lowW: 1, highW: 2, periodS: 1, dutty: 0.5 } }),
      ),
    ).toEqual([
      'scenario.json: load.duty: is required',
      'scenario.json: load.dutty: unknown field (did you mean duty?)',
    ]);
    const steps = {
      kind: 'steps',
      steps: [
        { atS: 3, watts: 1, riseMs: 0 },
        { atS: 2, watts: 2, riseMs: 0 },
      ],
    };
    expect(lines(failure({ ...good(), load: steps }))).toEqual([
      "scenario.json: load.steps[1].atS: must be >= the end of the previous step's rise (3 s)",
    ]);
  });

  it('requires an explicit zone to be complete and positive', () => {
    const e = failure({
      ...good(),
      zone: {
        shelves: 0,
        psusPerShelf: 6,
        psuRatedW: -5,
        bbusPerShelf: 6,
        bbuRatedW: 5500,
        bbuEnergyWh: 150,
      },
    });
    expect(lines(e).sort()).toEqual([
      'scenario.json: zone.busNominalV: is required (or give zone.preset)',
      'scenario.json: zone.psuRatedW: must be > 0',
      'scenario.json: zone.shelves: must be >= 1',
    ]);
  });

  it('collects every error into one throw', () => {
    const e = failure({
      ...good(),
      seed: 1.5,
      zone: { preset: 'nope' },
      physics: { step: { fineStepUs: 'x' } },
    });
    expect(e.code).toBe(ErrorCode.ScenarioInvalid);
    expect(lines(e)).toHaveLength(3);
    expect(e.context['errors']).toEqual(lines(e));
  });

  it('gives the line and column of malformed JSON', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{\n  "name": "x",\n  "durationS": ,\n}\n');
    expect(() => loadScenarioFile(path)).toThrow(`${path}:3:16: malformed JSON: unexpected ','`);
    writeFileSync(path, '{ "a": [1, 2 }');
    expect(() => loadScenarioFile(path)).toThrow(/:1:14: malformed JSON: expected '\]', found '}'/);
  });

  it('reports a missing scenario file as FileUnreadable', () => {
    try {
      loadScenarioFile(join(dir, 'absent.json'));
      expect.unreachable();
    } catch (e) {
      expect((e as Orv3Error).code).toBe(ErrorCode.FileUnreadable);
      expect((e as Error).message).toContain('absent.json');
    }
  });
});
