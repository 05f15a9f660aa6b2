/**
 * MetricSample values and times made encodable. The codec refuses what the wire cannot carry
 * (an Int32 of 3e9, a fractional or negative timestamp, a lone UTF-16 surrogate) by throwing;
 * a telemetry glitch must cost one value, not a publish period, so we coerce here: out-of-range
 * or wrong-typed values become null (is_null — "unknown"), times become whole milliseconds.
 */
import type { SpMetric } from './sparkplug/index.js';
import type { MetricSample } from './source.js';

const INT_RANGE = {
  Int32: [-0x8000_0000, 0x7fff_ffff],
  UInt32: [0, 0xffff_ffff],
} as const;
const BIG_RANGE = {
  Int64: [-(1n << 63n), (1n << 63n) - 1n],
  UInt64: [0n, (1n << 64n) - 1n],
} as const;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A Sparkplug timestamp: whole ms since the epoch (the codec takes 0..2^53-1). */
export function wireMs(t: number): number {
  return Number.isFinite(t) && t > 0 ? Math.min(Math.round(t), Number.MAX_SAFE_INTEGER) : 0;
}

function int(v: MetricSample['value'], type: keyof typeof INT_RANGE): number | null {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? Math.round(v) : NaN;
  const [lo, hi] = INT_RANGE[type];
  return Number.isFinite(n) && n >= lo && n <= hi ? n : null;
}

function big(v: MetricSample['value'], type: keyof typeof BIG_RANGE): bigint | null {
  let b: bigint | null = null;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isFinite(v)) b = BigInt(Math.round(v));
  const [lo, hi] = BIG_RANGE[type];
  return b !== null && b >= lo && b <= hi ? b : null;
}

/** A MetricSample as a Sparkplug metric value. */
export function spValue(s: MetricSample): SpMetric {
  const v = s.value;
  switch (s.type) {
    case 'Int32':
    case 'UInt32':
      return { type: s.type, value: int(v, s.type) };
    case 'Float':
    case 'Double':
      return {
        type: s.type,
        value: typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null,
      };
    case 'Int64':
    case 'UInt64':
      return { type: s.type, value: big(v, s.type) };
    case 'Boolean':
      return { type: 'Boolean', value: typeof v === 'boolean' ? v : null };
    case 'String':
      return {
        type: 'String',
        value: typeof v === 'string' ? v.replace(LONE_SURROGATE, '\uFFFD') : null,
      };
  }
}
