/**
 * Workload hints in (docs/MQTT.md "Workload hints"): plain MQTT, not Sparkplug, because the
 * senders are schedulers and fleet services that speak JSON, not Sparkplug hosts.
 *
 * Topic `orv3gw/<group>/<node>/hint`, payload UTF-8 JSON
 * `{"deltaW": number, "leadMs": number, "rampMs"?: number, "durationMs"?: number,
 * "source": string}` — rampMs is how long the change takes to build up (the job's power ramp).
 * Everything else (unknown keys, wrong types, out-of-range numbers, > 1 KiB) is rejected with a
 * reason; a hint is advice to the predictor, so a bad one is dropped, never guessed at.
 */
import type { WorkloadHint } from './source.js';

export const HINT_LIMITS = {
  maxBytes: 1024,
  /** Larger than any rack we power (ORv3 HPR shelves are tens of kW; a rack a few hundred). */
  maxAbsDeltaW: 1_000_000,
  maxLeadMs: 3_600_000,
  maxDurationMs: 86_400_000,
  maxSourceLength: 64,
} as const;

export function hintTopic(groupId: string, edgeNodeId: string): string {
  return `orv3gw/${groupId}/${edgeNodeId}/hint`;
}

export type HintParse =
  | { readonly ok: true; readonly hint: WorkloadHint }
  | { readonly ok: false; readonly reason: string };

const KEYS = new Set(['deltaW', 'leadMs', 'rampMs', 'durationMs', 'source']);

function finiteIn(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;
}

export function parseHint(payload: Uint8Array, receivedAtMs: number): HintParse {
  if (payload.byteLength > HINT_LIMITS.maxBytes) {
    return {
      ok: false,
      reason: `payload of ${payload.byteLength} bytes > ${HINT_LIMITS.maxBytes}`,
    };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return { ok: false, reason: 'payload is not UTF-8 JSON' };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, reason: 'payload is not a JSON object' };
  }
  const o = doc as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !KEYS.has(k));
  if (extra.length > 0) return { ok: false, reason: `unknown keys: ${extra.join(', ')}` };
  const { deltaW, leadMs, rampMs, durationMs, source } = o;
  const L = HINT_LIMITS;
  if (!finiteIn(deltaW, -L.maxAbsDeltaW, L.maxAbsDeltaW)) {
    return { ok: false, reason: `deltaW must be a number within ±${L.maxAbsDeltaW} W` };
  }
  if (!finiteIn(leadMs, 0, L.maxLeadMs)) {
    return { ok: false, reason: `leadMs must be a number in [0, ${L.maxLeadMs}]` };
  }
  if (rampMs !== undefined && !finiteIn(rampMs, 0, L.maxLeadMs)) {
    return { ok: false, reason: `rampMs must be a number in [0, ${L.maxLeadMs}]` };
  }
  if (durationMs !== undefined && !(finiteIn(durationMs, 0, L.maxDurationMs) && durationMs > 0)) {
    return { ok: false, reason: `durationMs must be a number in (0, ${L.maxDurationMs}]` };
  }
  if (typeof source !== 'string' || source.length === 0 || source.length > L.maxSourceLength) {
    return { ok: false, reason: `source must be a string of 1..${L.maxSourceLength} characters` };
  }
  return {
    ok: true,
    hint: {
      deltaW,
      leadMs,
      ...(rampMs !== undefined ? { rampMs } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
      source,
      receivedAtMs,
    },
  };
}
