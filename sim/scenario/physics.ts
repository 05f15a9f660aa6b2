/**
 * `physics` overrides are checked by walking DEFAULT_PHYSICS rather than by a hand-written
 * schema, so a parameter the physics team adds is accepted the day it lands and a misspelt one
 * is rejected by name.
 */
import type { PhysicsParams } from '../params.js';
import type { FieldError } from './schema.js';
import { unknownField } from './suggest.js';

type Tree = Readonly<Record<string, unknown>>;

function isPlainObject(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkPhysicsOverrides(
  raw: unknown,
  defaults: PhysicsParams,
  path = 'physics',
): FieldError[] {
  const errors: FieldError[] = [];
  walk(defaults as unknown as Tree, raw, path, errors);
  return errors;
}

function walk(def: Tree, value: unknown, path: string, errors: FieldError[]): void {
  if (!isPlainObject(value)) {
    errors.push({ path, message: 'must be an object' });
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (!Object.hasOwn(def, key)) {
      errors.push({ path: at, message: unknownField(key, Object.keys(def)) });
      continue;
    }
    const d = def[key];
    if (typeof d === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v))
        errors.push({ path: at, message: 'must be a finite number' });
    } else if (Array.isArray(d)) {
      const ok =
        Array.isArray(v) &&
        v.length === d.length &&
        v.every((x) => typeof x === 'number' && Number.isFinite(x));
      if (!ok) errors.push({ path: at, message: `must be an array of ${d.length} finite numbers` });
    } else if (isPlainObject(d)) {
      walk(d, v, at, errors);
    } else if (typeof v !== typeof d) {
      errors.push({ path: at, message: `must be a ${typeof d}` });
    }
  }
}

/** Fresh deep copy of `base` with each override applied in turn (arrays replace, not merge). */
export function mergeTree<T>(base: T, ...overrides: unknown[]): T {
  let out = clone(base);
  for (const o of overrides) out = mergeOne(out, o) as T;
  return out;
}

function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (isPlainObject(v))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T;
  return v;
}

function mergeOne(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : clone(over);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeOne(base[k], v);
  return out;
}

export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
