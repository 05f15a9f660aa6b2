/**
 * NCMD/DCMD → what to do, or why not. Pure: the edge node decodes the payload, this decides per
 * metric (type, range, known and online device, authorisation), and the edge node executes the
 * intents through the CommandSink. A host may send a name or an alias (the spec asks hosts for
 * the alias once births carried one, and asks edge nodes to cope with either).
 */
import { AliasTable, DeviceMetric, NODE_SCOPE, NodeMetric } from './metrics-model.js';
import type { SpMetric, SpPayload } from './sparkplug/index.js';
import type { DeviceSnapshot } from './source.js';

export type CommandIntent =
  | { readonly kind: 'rebirth' }
  | { readonly kind: 'powerCap'; readonly watts: number | null }
  | { readonly kind: 'locate'; readonly deviceId: string; readonly on: boolean }
  | { readonly kind: 'selfTest'; readonly deviceId: string };

export interface CommandRejection {
  /** What was asked, for logs and `Last Command/Result`: `NCMD Node Control/Power Cap W`. */
  readonly what: string;
  readonly reason: string;
  /** Wrong datatype / undecodable: counted in `Commands/Malformed` too. */
  readonly malformed: boolean;
}

export interface CommandContext {
  readonly aliases: AliasTable;
  /** Command metric names the configuration allows (Rebirth needs no entry). */
  readonly authorised: ReadonlySet<string>;
  readonly powerCapLimitsW: { readonly min: number; readonly max: number };
  /** The device a DCMD is for, as the TelemetrySource knows it now (undefined: unknown id). */
  readonly device?: DeviceSnapshot;
}

export interface Interpretation {
  readonly intents: CommandIntent[];
  readonly rejections: CommandRejection[];
}

type Verdict = CommandIntent | { readonly reason: string; readonly malformed: boolean };

function metricName(m: SpMetric, scope: string, aliases: AliasTable): string | undefined {
  if (m.name !== undefined) return m.name;
  if (m.alias === undefined) return undefined;
  const hit = aliases.lookup(m.alias);
  return hit && hit.scope === scope ? hit.name : undefined;
}

const wrongType = (name: string, want: string, got: string): Verdict => ({
  reason: `${name} must be ${want}, got ${got}`,
  malformed: true,
});

function nodeCommand(name: string, m: SpMetric, ctx: CommandContext): Verdict {
  if (name === NodeMetric.rebirth) {
    if (m.type !== 'Boolean') return wrongType(name, 'Boolean', m.type);
    if (m.value !== true) return { reason: 'Rebirth takes the value true', malformed: false };
    return { kind: 'rebirth' };
  }
  if (name === NodeMetric.powerCap) {
    if (m.type !== 'Double' && m.type !== 'Float') return wrongType(name, 'Double', m.type);
    if (!ctx.authorised.has(name))
      return { reason: 'not authorised by configuration', malformed: false };
    if (m.value === null) return { kind: 'powerCap', watts: null };
    const { min, max } = ctx.powerCapLimitsW;
    if (!(Number.isFinite(m.value) && m.value >= min && m.value <= max)) {
      return { reason: `power cap ${m.value} W outside [${min}, ${max}]`, malformed: false };
    }
    return { kind: 'powerCap', watts: m.value };
  }
  return { reason: `unknown or read-only metric ${name}`, malformed: false };
}

function deviceCommand(name: string, m: SpMetric, ctx: CommandContext): Verdict {
  const d = ctx.device!;
  if (name === DeviceMetric.locate && d.kind === 'psu') {
    if (m.type !== 'Boolean' || m.value === null) return wrongType(name, 'Boolean', m.type);
    if (!ctx.authorised.has(name))
      return { reason: 'not authorised by configuration', malformed: false };
    return { kind: 'locate', deviceId: d.id, on: m.value };
  }
  if (name === DeviceMetric.selfTest && d.kind === 'bbu') {
    if (m.type !== 'Boolean' || m.value === null) return wrongType(name, 'Boolean', m.type);
    if (!ctx.authorised.has(name))
      return { reason: 'not authorised by configuration', malformed: false };
    if (!m.value) return { reason: 'Self Test takes the value true', malformed: false };
    return { kind: 'selfTest', deviceId: d.id };
  }
  return { reason: `unknown or read-only metric ${name} on a ${d.kind}`, malformed: false };
}

/** Interprets one decoded NCMD (deviceId undefined) or DCMD payload. */
export function interpretCommand(
  deviceId: string | undefined,
  payload: SpPayload,
  ctx: CommandContext,
): Interpretation {
  const verb = deviceId === undefined ? 'NCMD' : `DCMD ${deviceId}`;
  const out: Interpretation = { intents: [], rejections: [] };
  const reject = (what: string, reason: string, malformed: boolean): void => {
    out.rejections.push({ what: `${verb} ${what}`, reason, malformed });
  };
  if (deviceId !== undefined && !ctx.device) {
    reject('*', `unknown device ${deviceId}`, false);
    return out;
  }
  if (deviceId !== undefined && !ctx.device!.online) {
    reject('*', `device ${deviceId} is offline`, false);
    return out;
  }
  if (payload.metrics.length === 0) reject('*', 'no metrics in command', true);
  const scope = deviceId ?? NODE_SCOPE;
  for (const m of payload.metrics) {
    const name = metricName(m, scope, ctx.aliases);
    if (name === undefined) {
      const a = m.alias !== undefined ? `alias ${m.alias}` : 'metric without name or alias';
      reject(a, 'unknown metric', m.alias === undefined);
      continue;
    }
    const v = deviceId === undefined ? nodeCommand(name, m, ctx) : deviceCommand(name, m, ctx);
    if ('kind' in v) out.intents.push(v);
    else reject(name, v.reason, v.malformed);
  }
  return out;
}
