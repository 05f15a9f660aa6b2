/**
 * What the edge node says in Sparkplug terms: metric names it owns, aliases, and the payloads of
 * births, deaths and data built from MetricSamples. Pure: no MQTT, no clock (times are passed in).
 */
import type {
  MetricRef,
  SpMetric,
  SpPayload,
  SpPropertySet,
  SpPropertyValue,
} from './sparkplug/index.js';
import type { DeviceSnapshot, MetricSample, MetricType } from './source.js';
import { spValue, wireMs } from './wire-values.js';

/** Node-level metrics the edge node itself owns (besides the TelemetrySource's). */
export const NodeMetric = {
  bdSeq: 'bdSeq',
  rebirth: 'Node Control/Rebirth',
  powerCap: 'Node Control/Power Cap W',
  lastResult: 'Last Command/Result',
  accepted: 'Commands/Accepted',
  rejected: 'Commands/Rejected',
  malformed: 'Commands/Malformed',
  hintsAccepted: 'Hints/Accepted',
  hintsRejected: 'Hints/Rejected',
  storeDropped: 'Store/Dropped',
} as const;

/** Device-level command metrics, by device kind. */
export const DeviceMetric = { locate: 'Locate', selfTest: 'Self Test' } as const;

export function deviceControlNames(kind: DeviceSnapshot['kind']): readonly string[] {
  return kind === 'psu' ? [DeviceMetric.locate] : kind === 'bbu' ? [DeviceMetric.selfTest] : [];
}

const WRITABLE = new Set<string>([
  NodeMetric.rebirth,
  NodeMetric.powerCap,
  DeviceMetric.locate,
  DeviceMetric.selfTest,
]);

/** Scope of a metric: '' for the edge node, else the device id. */
export type Scope = string;
export const NODE_SCOPE: Scope = '';

/**
 * Aliases, unique across the whole edge node (spec tck-id-payloads-alias-uniqueness), stable for
 * the life of the process so a rebirth re-announces the same numbers. `Node Control/Rebirth`
 * never gets one (a host must be able to ask for a rebirth knowing nothing) and neither does
 * bdSeq, which never appears in DATA.
 */
export class AliasTable {
  private next = 1n;
  private readonly byKey = new Map<string, bigint>();
  private readonly byAlias = new Map<bigint, { readonly scope: Scope; readonly name: string }>();
  /** Datatype each metric was born with: commands may arrive by alias without one. */
  private readonly types = new Map<string, MetricType>();

  static unaliased(scope: Scope, name: string): boolean {
    return scope === NODE_SCOPE && (name === NodeMetric.rebirth || name === NodeMetric.bdSeq);
  }

  alias(scope: Scope, name: string): bigint | undefined {
    if (AliasTable.unaliased(scope, name)) return undefined;
    const key = `${scope}\u0000${name}`;
    let a = this.byKey.get(key);
    if (a === undefined) {
      a = this.next++;
      this.byKey.set(key, a);
      this.byAlias.set(a, { scope, name });
    }
    return a;
  }

  lookup(alias: bigint): { readonly scope: Scope; readonly name: string } | undefined {
    return this.byAlias.get(alias);
  }

  declareType(scope: Scope, name: string, type: MetricType): void {
    this.types.set(`${scope}\u0000${name}`, type);
  }

  /** The codec's DecodeOptions.typeOf for commands addressed to `scope`. */
  typeResolver(scope: Scope): (ref: MetricRef) => MetricType | undefined {
    return (ref) => {
      const hit = ref.alias !== undefined ? this.lookup(ref.alias) : undefined;
      const name = hit && hit.scope === scope ? hit.name : ref.name;
      return name === undefined ? undefined : this.types.get(`${scope}\u0000${name}`);
    };
  }
}

function properties(s: MetricSample): SpPropertySet | undefined {
  const p = new Map<string, SpPropertyValue>();
  // engUnit is the property name Ignition and most Sparkplug hosts read units from.
  if (s.unit !== undefined) p.set('engUnit', { type: 'String', value: s.unit });
  // Sparkplug has no standard writable flag; hosts that honour one read readOnly.
  if (WRITABLE.has(s.name)) p.set('readOnly', { type: 'Boolean', value: false });
  return p.size > 0 ? p : undefined;
}

/** A metric in a birth: name, alias, datatype, value, timestamp and properties. */
export function birthMetric(s: MetricSample, alias: bigint | undefined): SpMetric {
  const props = properties(s);
  return {
    ...spValue(s),
    name: s.name,
    ...(alias !== undefined ? { alias } : {}),
    timestamp: wireMs(s.timestampMs),
    ...(props ? { properties: props } : {}),
  };
}

/** A metric in NDATA/DDATA: the alias instead of the name (spec: alias-data-cmd-requirement). */
export function dataMetric(
  s: MetricSample,
  alias: bigint | undefined,
  historical: boolean,
): SpMetric {
  return {
    ...spValue(s),
    ...(alias !== undefined ? { alias } : { name: s.name }),
    timestamp: wireMs(s.timestampMs),
    ...(historical ? { isHistorical: true } : {}),
  };
}

export function ndeathPayload(nowMs: number, bdSeq: number): SpPayload {
  return {
    timestamp: wireMs(nowMs),
    metrics: [
      { name: NodeMetric.bdSeq, type: 'Int64', value: BigInt(bdSeq), timestamp: wireMs(nowMs) },
    ],
  };
}

export function bdSeqSample(bdSeq: number, nowMs: number): MetricSample {
  return { name: NodeMetric.bdSeq, type: 'Int64', value: BigInt(bdSeq), timestampMs: nowMs };
}

export function birthPayload(
  scope: Scope,
  samples: readonly MetricSample[],
  aliases: AliasTable,
  nowMs: number,
  seq: number,
): SpPayload {
  return {
    timestamp: wireMs(nowMs),
    seq,
    metrics: samples.map((s) => {
      aliases.declareType(scope, s.name, s.type);
      return birthMetric(s, aliases.alias(scope, s.name));
    }),
  };
}

export function dataPayload(
  scope: Scope,
  samples: readonly MetricSample[],
  aliases: AliasTable,
  nowMs: number,
  seq: number,
  historical: boolean,
): SpPayload {
  return {
    timestamp: wireMs(nowMs),
    seq,
    metrics: samples.map((s) => dataMetric(s, aliases.alias(scope, s.name), historical)),
  };
}

/**
 * A DATA record as kept in the store: names and datatypes, no alias, no seq — aliases and seq
 * belong to a session, and the record is replayed in a later one.
 */
export function storedPayload(samples: readonly MetricSample[], nowMs: number): SpPayload {
  return {
    timestamp: wireMs(nowMs),
    metrics: samples.map((s) => ({
      ...spValue(s),
      name: s.name,
      timestamp: wireMs(s.timestampMs),
    })),
  };
}
