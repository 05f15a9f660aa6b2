/** Small builders every resource file shares: links, collections, status, action targets. */
import { collectionType, type CollectionType } from '../schemas.js';
import type { Json, JsonObject } from '../http/route.js';
import { httpError, notWritable, propertyUnknown, typeError } from '../http/errors.js';

export const ROOT = '/redfish/v1';
export const link = (uri: string): JsonObject => ({ '@odata.id': uri });

export function collection(
  uri: string,
  type: CollectionType,
  name: string,
  members: readonly string[],
  extra: JsonObject = {},
): JsonObject {
  return {
    '@odata.id': uri,
    '@odata.type': collectionType(type),
    Name: name,
    Members: members.map(link),
    'Members@odata.count': members.length,
    ...extra,
  };
}

export type Health = 'OK' | 'Warning' | 'Critical';
export type State = 'Enabled' | 'Disabled' | 'Absent' | 'UnavailableOffline' | 'StandbyOffline';
export const status = (state: State, health: Health | null = 'OK'): JsonObject => ({
  State: state,
  Health: health,
});

/** A sensor excerpt (SensorPowerExcerpt etc.) pointing at its Sensor resource. */
export const excerpt = (
  reading: number | null,
  sensorUri?: string,
  extra: JsonObject = {},
): JsonObject => ({
  Reading: reading === null || !Number.isFinite(reading) ? null : round(reading),
  ...(sensorUri ? { DataSourceUri: sensorUri } : {}),
  ...extra,
});

/** Rounds readings for the wire (4 significant decimals is past any sensor's accuracy). */
export const round = (v: number, d = 3): number => {
  const f = 10 ** d;
  return Math.round(v * f) / f;
};

export const isoTime = (epochMs: number): string =>
  new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Rejects any PATCH property outside `writable`, and read-only ones with the right message. */
export function checkPatch(
  body: JsonObject,
  writable: readonly string[],
  known: readonly string[] = [],
): void {
  const keys = Object.keys(body).filter((k) => !k.startsWith('@'));
  if (keys.length === 0) throw httpError(400, 'Base.EmptyJSON');
  for (const k of keys) {
    if (writable.includes(k)) continue;
    throw known.includes(k) ? notWritable(k) : propertyUnknown(k);
  }
}

export function expectString(v: Json | undefined, name: string, maxLen = 255): string {
  if (typeof v !== 'string') throw typeError(v, name);
  if (v.length > maxLen) throw httpError(400, 'Base.StringValueTooLong', name, maxLen);
  return v;
}

export function expectBoolean(v: Json | undefined, name: string): boolean {
  if (typeof v !== 'boolean') throw typeError(v, name);
  return v;
}

export function expectNumber(v: Json | undefined, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(v, name);
  return v;
}

/** Action parameter check: every key known, required ones present. */
export function checkActionParams(
  action: string,
  body: JsonObject | undefined,
  known: readonly string[],
  required: readonly string[] = [],
): JsonObject {
  const b = body ?? {};
  for (const k of Object.keys(b))
    if (!k.startsWith('@') && !known.includes(k))
      throw httpError(400, 'Base.ActionParameterUnknown', action, k);
  for (const k of required)
    if (b[k] === undefined) throw httpError(400, 'Base.ActionParameterMissing', action, k);
  return b;
}

export const noContent = { status: 204 } as const;
