/**
 * Scenario JSON → frozen, fully defaulted Scenario. All problems are collected and thrown
 * together, each as `file: json.path: message`, so one run shows the author every mistake.
 */
import { resolve } from 'node:path';
import { ErrorCode, Orv3Error } from '../../src/errors.js';
import { checkLoadSpec, resolveDataPath, type LoadSpec } from '../load/index.js';
import {
  DEFAULT_PHYSICS,
  ZONE_PRESETS,
  type BbuParams,
  type PhysicsParams,
  type ZoneSpec,
} from '../params.js';
import { checkPhysicsOverrides, deepFreeze, mergeTree } from './physics.js';
import { validateScenarioSchema, type FieldError } from './schema.js';
import { defaultSharedDir } from './shared-dir.js';
import type { Criteria, GridEvent, Scenario } from './types.js';

export interface ParseOptions {
  /** Shown in messages and kept in `source.file`. */
  file?: string;
  /** Where relative data paths resolve; default the file's folder, else the working directory. */
  baseDir?: string;
  /** Where `$SHARED/` paths resolve; default defaultSharedDir(). */
  sharedDir?: string;
}

/** OURS: nominal line-to-neutral voltage when the file does not say (HPR fact: 277 V). */
const NOMINAL_VAC = { hpr: 277, orv3: 230 } as const;
/** OURS: the ERCOT context of DESIGN.md §1 is a 60 Hz grid. */
const DEFAULT_FREQUENCY_HZ = 60;
/** Fact: HPR BBU packs have 12 series cells; used for explicit HPR zones. */
const HPR_EXPLICIT_BBU: Partial<BbuParams> = { cells: 12 };

type Coded = FieldError & { code: ErrorCode };
type Json = Record<string, unknown>;

export function parseScenario(raw: unknown, opts: ParseOptions = {}): Scenario {
  const file = opts.file ?? null;
  const baseDir = resolve(opts.baseDir ?? (file === null ? '.' : resolve(file, '..')));
  const errors: Coded[] = validateScenarioSchema(raw).map((e) => ({
    ...e,
    code: ErrorCode.ScenarioInvalid,
  }));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throwAll(file, errors);
  const doc = raw as Json;
  const broken = new Set(errors.map((e) => e.path.split(/[.[]/)[0]));
  const add = (
    path: string,
    message: string,
    code: ErrorCode = ErrorCode.ScenarioInvalid,
  ): void => {
    errors.push({ path, message, code });
  };

  const zone = resolveZone(doc['zone'], add);
  // A non-object `physics` is already a schema error.
  if (
    typeof doc['physics'] === 'object' &&
    doc['physics'] !== null &&
    !Array.isArray(doc['physics'])
  ) {
    for (const e of checkPhysicsOverrides(doc['physics'], DEFAULT_PHYSICS)) add(e.path, e.message);
  }
  const durationS = doc['durationS'] as number;
  if (!broken.has('grid') && !broken.has('durationS')) {
    checkEvents((doc['grid'] as Json)['events'] as GridEvent[], durationS, add);
  }
  if (!broken.has('load') && !broken.has('durationS')) {
    const load = doc['load'] as LoadSpec;
    for (const line of checkLoadSpec(load, 'load')) {
      const cut = line.indexOf(': ');
      add(line.slice(0, cut), line.slice(cut + 2));
    }
    if (load.kind === 'steps') {
      load.steps.forEach((s, i) => {
        if (s.atS >= durationS) add(`load.steps[${i}].atS`, `must be < durationS (${durationS})`);
      });
    }
  }
  if (errors.length > 0 || zone === null) throwAll(file, errors);

  const bbuOverrides = zone.bbu;
  const initialRaw = (doc['initial'] as Json | undefined) ?? {};
  const physics: PhysicsParams = mergeTree(DEFAULT_PHYSICS, { bbu: bbuOverrides }, doc['physics']);
  const socPct = (initialRaw['socPct'] as number | undefined) ?? physics.bbu.initialSocPct;
  physics.bbu.initialSocPct = socPct;

  const gridRaw = doc['grid'] as Json;
  const frequencyHz = (gridRaw['frequencyHz'] as number | undefined) ?? DEFAULT_FREQUENCY_HZ;
  const events = ((gridRaw['events'] as Json[]) ?? [])
    .map((e) => ({
      atS: e['atS'] as number,
      pu: e['pu'] as number,
      durationMs: e['durationMs'] as number,
      rampMs: (e['rampMs'] as number | undefined) ?? 0,
      frequencyHz: (e['frequencyHz'] as number | undefined) ?? frequencyHz,
    }))
    .sort((a, b) => a.atS - b.atS);

  const load = mergeTree(doc['load'] as LoadSpec);
  if (load.kind === 'trace' || load.kind === 'inference') {
    load.file = resolveDataPath(load.file, baseDir, opts.sharedDir ?? defaultSharedDir());
  }
  const criteriaRaw = doc['criteria'] as Partial<Criteria>;
  return deepFreeze({
    name: doc['name'] as string,
    description: (doc['description'] as string | undefined) ?? '',
    durationS,
    seed: doc['seed'] as number,
    zone: zone.spec,
    bbuOverrides: mergeTree(bbuOverrides),
    load,
    grid: {
      nominalVac: (gridRaw['nominalVac'] as number | undefined) ?? NOMINAL_VAC[zone.spec.family],
      frequencyHz,
      events,
    },
    initial: { socPct },
    criteria: { ...criteriaRaw, noLoadDrop: criteriaRaw.noLoadDrop ?? true },
    physics,
    source: { file, baseDir },
  });
}

function resolveZone(
  raw: unknown,
  add: (path: string, message: string, code?: ErrorCode) => void,
): { spec: ZoneSpec; bbu: Partial<BbuParams> } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const z = raw as Partial<ZoneSpec> & { preset?: unknown };
  if (typeof z.preset === 'string') {
    const preset = ZONE_PRESETS[z.preset];
    if (preset === undefined) {
      const known = Object.keys(ZONE_PRESETS).join(', ');
      add('zone.preset', `unknown preset "${z.preset}" (known: ${known})`, ErrorCode.UnknownPreset);
      return null;
    }
    const { bbu, ...base } = preset;
    const { preset: _name, ...overrides } = z;
    return { spec: { ...base, ...overrides }, bbu: bbu ?? {} };
  }
  const spec = { family: 'orv3', ...z } as ZoneSpec;
  return { spec, bbu: spec.family === 'hpr' ? HPR_EXPLICIT_BBU : {} };
}

function checkEvents(
  events: GridEvent[],
  durationS: number,
  add: (path: string, message: string) => void,
): void {
  const spans = events
    .map((e, i) => ({ i, start: e.atS, end: e.atS + (2 * (e.rampMs ?? 0) + e.durationMs) / 1000 }))
    .sort((a, b) => a.start - b.start || a.i - b.i);
  let prev: (typeof spans)[number] | null = null;
  for (const s of spans) {
    const at = `grid.events[${s.i}]`;
    if (s.start >= durationS) add(`${at}.atS`, `must be < durationS (${durationS})`);
    else if (s.end > durationS)
      add(`${at}.durationMs`, `event ends at ${s.end} s, after the run (durationS ${durationS})`);
    if (prev !== null && s.start < prev.end) {
      add(`${at}.atS`, `overlaps grid.events[${prev.i}], which lasts until ${prev.end} s`);
    }
    if (prev === null || s.end > prev.end) prev = s;
  }
}

function throwAll(file: string | null, errors: Coded[]): never {
  const label = file ?? '<scenario>';
  const lines = errors.map((e) => `${label}: ${e.path === '' ? '(root)' : e.path}: ${e.message}`);
  const codes = new Set(errors.map((e) => e.code));
  // One code when every error agrees (e.g. only an unknown preset); a mix is just "invalid".
  const code = codes.size === 1 ? [...codes][0]! : ErrorCode.ScenarioInvalid;
  const message = lines.length === 0 ? `${label}: (root): must be an object` : lines.join('\n');
  throw new Orv3Error(code, message, { file, errors: lines });
}
