/**
 * JSON Schema of a scenario file (docs/SCENARIOS.md is its prose). Structure and ranges live
 * here; ordering, overlaps, presets and physics keys are checked in parse.ts, where the messages
 * can say more than a schema keyword can.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { unknownField } from './suggest.js';

const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;
const count = { type: 'integer', minimum: 1 } as const;
const percent = { type: 'number', minimum: 0, maximum: 100 } as const;
const column = { type: ['string', 'integer'] } as const;

const ZONE_FIELDS = {
  family: { enum: ['orv3', 'hpr'] },
  shelves: count,
  psusPerShelf: count,
  psuRatedW: positive,
  bbusPerShelf: count,
  bbuRatedW: positive,
  bbuEnergyWh: positive,
  busNominalV: positive,
} as const;

const EXPLICIT_ZONE_REQUIRED = [
  'shelves',
  'psusPerShelf',
  'psuRatedW',
  'bbusPerShelf',
  'bbuRatedW',
  'bbuEnergyWh',
  'busNominalV',
];

const zone = {
  type: 'object',
  additionalProperties: false,
  properties: { preset: { type: 'string' }, ...ZONE_FIELDS },
  if: { properties: { preset: true }, required: ['preset'] },
  then: true,
  else: {
    properties: Object.fromEntries(EXPLICIT_ZONE_REQUIRED.map((k) => [k, true])),
    required: EXPLICIT_ZONE_REQUIRED,
  },
} as const;

const kind = (name: string) => ({ const: name });

const loadKinds = [
  {
    properties: { kind: kind('constant'), watts: nonNegative },
    required: ['watts'],
  },
  {
    properties: {
      kind: kind('steps'),
      baseW: nonNegative,
      steps: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['atS', 'watts', 'riseMs'],
          properties: { atS: nonNegative, watts: nonNegative, riseMs: nonNegative },
        },
      },
    },
    required: ['steps'],
  },
  {
    properties: {
      kind: kind('swing'),
      lowW: nonNegative,
      highW: nonNegative,
      periodS: positive,
      duty: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      riseMs: nonNegative,
      startS: nonNegative,
    },
    required: ['lowW', 'highW', 'periodS', 'duty'],
  },
  {
    properties: {
      kind: kind('trace'),
      file: { type: 'string', minLength: 1 },
      timeColumn: column,
      wattsColumn: column,
      interpolate: { enum: ['step', 'linear'] },
      scale: positive,
    },
    required: ['file'],
  },
  {
    properties: {
      kind: kind('inference'),
      file: { type: 'string', minLength: 1 },
      gpus: count,
      gpuIdleW: nonNegative,
      gpuStandbyW: nonNegative,
      gpuActiveW: nonNegative,
      standbyHoldMs: nonNegative,
      prefillTokensPerS: positive,
      decodeTokensPerS: positive,
      maxBatch: count,
      gpusPerInstance: count,
      rateScale: positive,
      startOffsetS: nonNegative,
      baseW: nonNegative,
    },
    required: ['file'],
  },
].map((k) => ({ type: 'object', additionalProperties: false, ...k }));

const gridEvent = {
  type: 'object',
  additionalProperties: false,
  required: ['atS', 'pu', 'durationMs'],
  properties: {
    atS: nonNegative,
    pu: { type: 'number', minimum: 0, maximum: 1.5 },
    durationMs: positive,
    rampMs: nonNegative,
    frequencyHz: positive,
  },
} as const;

export const SCENARIO_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'durationS', 'seed', 'zone', 'load', 'grid', 'criteria'],
  properties: {
    // Lets editors find the schema; ignored by the loader.
    $schema: { type: 'string' },
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    description: { type: 'string' },
    durationS: positive,
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    zone,
    load: {
      type: 'object',
      discriminator: { propertyName: 'kind' },
      properties: { kind: { type: 'string' } },
      required: ['kind'],
      oneOf: loadKinds,
    },
    grid: {
      type: 'object',
      additionalProperties: false,
      required: ['events'],
      properties: {
        nominalVac: positive,
        frequencyHz: positive,
        events: { type: 'array', items: gridEvent },
      },
    },
    initial: { type: 'object', additionalProperties: false, properties: { socPct: percent } },
    // Checked key by key against DEFAULT_PHYSICS in physics.ts.
    physics: { type: 'object' },
    criteria: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pfaprS: positive,
        minBusV: positive,
        maxGridRampWPerS: positive,
        noLoadDrop: { type: 'boolean' },
        maxPsuOverloadEvents: { type: 'integer', minimum: 0 },
        minBbuSocPct: percent,
      },
    },
  },
} as const;

const ajv = new Ajv({
  strict: true,
  allowUnionTypes: true,
  allErrors: true,
  discriminator: true,
  verbose: true,
});
const validate = ajv.compile(SCENARIO_SCHEMA);

export interface FieldError {
  path: string;
  message: string;
}

/** `/grid/events/1/durationMs` → `grid.events[1].durationMs`. */
export function jsonPath(pointer: string, child?: string | number): string {
  const parts = pointer === '' ? [] : pointer.slice(1).split('/');
  if (child !== undefined) parts.push(String(child));
  let out = '';
  for (const raw of parts) {
    const p = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(p)) out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out;
}

export function validateScenarioSchema(raw: unknown): FieldError[] {
  if (validate(raw)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(describe);
  // A missing `kind` is reported by both `required` and the discriminator.
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}\n${e.message}`;
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}

function describe(e: ErrorObject): FieldError {
  const at = e.instancePath;
  switch (e.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const prop = String(e.params['additionalProperty']);
      const props = Object.keys((e.parentSchema?.['properties'] as object | undefined) ?? {});
      return { path: jsonPath(at, prop), message: unknownField(prop, props) };
    }
    case 'required': {
      const prop = String(e.params['missingProperty']);
      const hint = at === '/zone' ? ' (or give zone.preset)' : '';
      return { path: jsonPath(at, prop), message: `is required${hint}` };
    }
    case 'discriminator':
      return {
        path: jsonPath(at, 'kind'),
        message:
          e.params['error'] === 'tag'
            ? 'is required'
            : `must be one of constant, steps, swing, trace, inference (got ${JSON.stringify(e.params['tagValue'])})`,
      };
    case 'enum':
      return {
        path: jsonPath(at),
        message: `must be one of ${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { path: jsonPath(at), message: e.message ?? e.keyword };
  }
}
