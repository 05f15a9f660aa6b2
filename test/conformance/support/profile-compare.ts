/**
 * DSP0272 comparisons, used by `Comparison`/`Values`, `CompareType`/`CompareValues` and
 * `UseCaseComparison`/`UseCaseKeyValues`. `undefined` is an absent property.
 */
import { compareVersions, parseODataType, parseVersion } from './odata-type.js';
import type { Comparison } from './profile-types.js';

export type ResourceLookup = (uri: string) => unknown;

function order(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'string' && typeof b === 'string') {
    const va = parseVersion(a);
    const vb = parseVersion(b);
    if (va && vb) return compareVersions(va, vb);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return null;
}

function linkTargetType(value: unknown, lookup: ResourceLookup): string | null {
  const id = (value as { '@odata.id'?: unknown } | null)?.['@odata.id'];
  if (typeof id !== 'string') return null;
  return (
    parseODataType((lookup(id) as { '@odata.type'?: unknown } | undefined)?.['@odata.type'])
      ?.namespace ?? null
  );
}

export function compare(
  value: unknown,
  type: Comparison,
  values: readonly unknown[],
  lookup: ResourceLookup = () => undefined,
): boolean {
  if (type === 'Absent') return value === undefined;
  if (type === 'Present') return value !== undefined;
  if (value === undefined) return false;
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const eq = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  switch (type) {
    case 'AnyOf':
      return list.some((v) => values.some((w) => eq(v, w)));
    case 'AllOf':
      return values.every((w) => list.some((v) => eq(v, w)));
    case 'Equal':
      return values.some((w) => eq(value, w));
    case 'NotEqual':
      return values.every((w) => !eq(value, w));
    case 'LinkToResource':
      return list.every((v) => values.includes(linkTargetType(v, lookup)));
    default: {
      const o = order(value, values[0]);
      if (o === null) return false;
      if (type === 'GreaterThan') return o > 0;
      if (type === 'GreaterThanOrEqual') return o >= 0;
      if (type === 'LessThan') return o < 0;
      return o <= 0;
    }
  }
}
