import type { LoadSpec } from '../load/index.js';
import type { BbuParams, PhysicsParams, ZoneSpec } from '../params.js';

/** One grid disturbance. The voltage leaves 1.0 p.u. at atS, ramps to `pu` over rampMs, holds
 * it for durationMs, then ramps back over rampMs; the frequency follows the same envelope. */
export interface GridEvent {
  atS: number;
  pu: number;
  durationMs: number;
  rampMs: number;
  frequencyHz: number;
}

export interface GridSpec {
  nominalVac: number;
  frequencyHz: number;
  /** Sorted by atS, non-overlapping, inside the run. */
  events: GridEvent[];
}

/** Pass/fail thresholds; an absent one is not judged. */
export interface Criteria {
  pfaprS?: number;
  minBusV?: number;
  maxGridRampWPerS?: number;
  noLoadDrop: boolean;
  maxPsuOverloadEvents?: number;
  minBbuSocPct?: number;
}

export interface Scenario {
  name: string;
  description: string;
  durationS: number;
  seed: number;
  zone: ZoneSpec;
  /** BBU parameters the zone preset implies (e.g. HPR: 12 cells); already folded into physics. */
  bbuOverrides: Partial<BbuParams>;
  /** As written, except that a `file` is resolved to an absolute path. */
  load: LoadSpec;
  grid: GridSpec;
  initial: { socPct: number };
  criteria: Criteria;
  /** DEFAULT_PHYSICS ← preset BBU overrides ← scenario `physics` ← initial.socPct. */
  physics: PhysicsParams;
  source: { file: string | null; baseDir: string };
}
