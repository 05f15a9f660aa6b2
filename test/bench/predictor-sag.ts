/**
 * bench:predictor's sag part: the SagDetector as the control loop configures it (engage below
 * 202 V, return at 0.9 p.u., loss below 180 V) on READ_VIN read at 1 kHz through the simulated
 * PSU's PMBus façade and its LINEAR11 word — the lagging RMS the simulator reports
 * (sim/physics/psu.ts vinMeasV), not the grid envelope. Each depth runs as one scenario with
 * ten step sags whose onsets fall at ten phases of the tick; plain readings vs the early
 * warning (vinTauMs = the scenario's PSU RMS time constant). Then the false-engage checks: the
 * inference hour's steady grid, and 0.8 p.u. sags (221.6 V, which must not engage), also with
 * READ_VIN sample noise added (ASSUMPTION: no public figure; σ 0.5 and 1 V), and what that
 * noise does to the early warning's latency on 0 p.u. sags.
 */
import { readFileSync } from 'node:fs';
import { SagDetector, type SagDetectorOptions } from '../../src/control/predictor/index.js';
import { decodeLinear11, encodeLinear11 } from '../../src/regmap/index.js';
import { parseScenario, type GridEvent } from '../../sim/scenario/index.js';
import { Rng } from '../../sim/rng.js';
import { Simulation } from '../../sim/simulation.js';
import { percentile } from './fleet-stats.js';
import { INFERENCE_SCENARIO } from './predictor-families.js';

const NOMINAL = 277;
/** The loop's configuration (src/control/loop/control-loop.ts, config defaults). */
export const LOOP_SAG: Readonly<SagDetectorOptions> = Object.freeze({
  nominalVac: NOMINAL,
  sagPu: 202 / NOMINAL,
  returnPu: 0.9,
  lossVac: 180,
  confirmSamples: 2,
});
export const SAG_DEPTHS = [0, 0.25, 0.5, 0.7, 0.8] as const;
const PHASES = 10;
const SPACING_S = 1.5;
const TICK_PHASE_MS = 0.3;
const READ_VIN = 0x88;
const PSU0 = 0x58;
/** ASSUMPTION: READ_VIN sample-to-sample noise, 1 σ, V (none in the simulator). */
export const VIN_NOISE_V = [0.5, 1] as const;

export interface Latencies {
  /** Sags the detector engaged on (state left normal), of `of`. */
  n: number;
  of: number;
  p50Ms: number;
  maxMs: number;
}

export interface SagRow {
  pu: number;
  durationMs: number;
  detector: 'plain' | 'early';
  engage: Latencies;
  loss: Latencies;
  /** From the end of the sag (the grid back at nominal) to the return flag. */
  return: Latencies;
}

/** Engagements under READ_VIN noise: false ones (steady grid, 0.8 p.u.) or wanted (0 p.u.). */
export interface NoiseRow {
  what: string;
  noiseV: number;
  simulatedS: number;
  /** Sags or time the counts are over. */
  per: string;
  plain: Latencies;
  early: Latencies;
}

export interface SagReport {
  tauMs: number;
  rows: SagRow[];
  noise: NoiseRow[];
}

const wire11 = (v: number): number => decodeLinear11(encodeLinear11(v));

export function latencies(lat: number[], of: number): Latencies {
  const s = Float64Array.from(lat).sort();
  return {
    n: lat.length,
    of,
    p50Ms: percentile(s, 50),
    maxMs: s.length === 0 ? Number.NaN : s[s.length - 1]!,
  };
}

/** READ_VIN at 1 kHz through the façade of PSU 0 of a one-shelf HPR scenario with these events. */
function readVin(events: GridEvent[], durationS: number): { vin: Float64Array; tauMs: number } {
  const sc = parseScenario({
    name: 'predictor-sag',
    durationS,
    seed: 1,
    zone: { preset: 'orv3-hpr-33kw' },
    load: { kind: 'constant', watts: 26400 },
    grid: { nominalVac: NOMINAL, events },
    criteria: {},
  });
  const sim = new Simulation(sc);
  const dev = sim.devices.pmbus(0, PSU0)!;
  const n = Math.floor(durationS * 1000) - 1;
  const vin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    sim.advanceTo(Math.round((k + TICK_PHASE_MS) * 1000));
    vin[k] = decodeLinear11(dev.readWord(READ_VIN));
  }
  return { vin, tauMs: sc.physics.psu.vinMeasureTauMs };
}

const tickMs = (k: number): number => k + TICK_PHASE_MS;

/** Ten sags of one depth and duration, onsets at ten phases of the 1 ms tick. */
function sagEvents(pu: number, durationMs: number): GridEvent[] {
  return Array.from({ length: PHASES }, (_, i) => ({
    atS: 1 + i * SPACING_S + (i + 0.5) / PHASES / 1000,
    pu,
    durationMs,
    rampMs: 0,
    frequencyHz: 60,
  }));
}

export function replay(
  vin: Float64Array,
  events: readonly GridEvent[],
  o: SagDetectorOptions,
  noise?: { sd: number; rng: Rng },
): { engage: number[]; loss: number[]; ret: number[] } {
  const out = { engage: [] as number[], loss: [] as number[], ret: [] as number[] };
  for (const e of events) {
    // A fresh detector per sag, fed from 200 ms before it to 600 ms after its end.
    const d = new SagDetector(o);
    const on = e.atS * 1000;
    const end = on + e.durationMs;
    const k0 = Math.max(0, Math.ceil(on - 200 - TICK_PHASE_MS));
    const k1 = Math.min(vin.length, Math.floor(end + 600));
    for (let k = k0; k < k1; k++) {
      const v = noise === undefined ? vin[k]! : wire11(vin[k]! + noise.rng.normal(0, noise.sd));
      d.push(tickMs(k), v);
    }
    if (d.events > 0) out.engage.push(d.sagDetectedAtMs - on);
    if (d.lossDetectedAtMs === d.lossDetectedAtMs) out.loss.push(d.lossDetectedAtMs - on);
    if (d.returnDetectedAtMs > end) out.ret.push(d.returnDetectedAtMs - end);
  }
  return out;
}

export function runSagBench(opts: { seed: number }): SagReport {
  const rows: SagRow[] = [];
  const noise: NoiseRow[] = [];
  let tauMs = Number.NaN;
  const rng = new Rng(opts.seed).fork('sag-noise');
  for (const durationMs of [150, 20]) {
    for (const pu of SAG_DEPTHS) {
      const events = sagEvents(pu, durationMs);
      const r = readVin(events, 1 + PHASES * SPACING_S);
      tauMs = r.tauMs;
      for (const detector of ['plain', 'early'] as const) {
        const o = { ...LOOP_SAG, vinTauMs: detector === 'early' ? r.tauMs : 0 };
        const x = replay(r.vin, events, o);
        const sags = events.length;
        rows.push({
          pu,
          durationMs,
          detector,
          engage: latencies(x.engage, sags),
          loss: latencies(x.loss, sags),
          return: latencies(x.ret, sags),
        });
      }
      if ((pu === 0 || pu >= 0.7) && durationMs === 150) {
        for (const sd of VIN_NOISE_V) {
          const draws = 20;
          const plain: number[] = [];
          const early: number[] = [];
          for (let i = 0; i < draws; i++) {
            plain.push(...replay(r.vin, events, LOOP_SAG, { sd, rng }).engage);
            const e = replay(r.vin, events, { ...LOOP_SAG, vinTauMs: r.tauMs }, { sd, rng });
            early.push(...e.engage);
          }
          const sags = draws * events.length;
          noise.push({
            what: `${pu} p.u. sags, ${durationMs} ms`,
            noiseV: sd,
            simulatedS: (sags * (durationMs + 800)) / 1000,
            per: `${sags} sags`,
            plain: latencies(plain, sags),
            early: latencies(early, sags),
          });
        }
      }
    }
  }
  // The inference hour's grid: read from its scenario file (the trace is not needed for it).
  const grid = (JSON.parse(readFileSync(INFERENCE_SCENARIO, 'utf8')) as { grid: { events: [] } })
    .grid;
  const steadyS = 60;
  const { vin } = readVin(grid.events, steadyS);
  // Engagements on a steady grid are all false: their count (latency fields unused).
  const count = (o: SagDetectorOptions, sd: number, n: number, from?: Float64Array): Latencies => {
    const d = new SagDetector(o);
    for (let k = 0; k < n; k++) {
      const base = from === undefined ? NOMINAL : from[k]!;
      d.push(tickMs(k), sd > 0 ? wire11(base + rng.normal(0, sd)) : base);
    }
    return { n: d.events, of: 0, p50Ms: Number.NaN, maxMs: Number.NaN };
  };
  const early = { ...LOOP_SAG, vinTauMs: tauMs };
  const distinct = new Set(vin).size;
  noise.push({
    what: `inference-hour grid, simulated READ_VIN (${distinct} distinct value${distinct === 1 ? '' : 's'})`,
    noiseV: 0,
    simulatedS: steadyS,
    per: `${steadyS} s`,
    plain: count(LOOP_SAG, 0, vin.length, vin),
    early: count(early, 0, vin.length, vin),
  });
  for (const sd of VIN_NOISE_V) {
    noise.push({
      what: 'inference-hour grid, 277 V + noise',
      noiseV: sd,
      simulatedS: 3600,
      per: '1 h',
      plain: count(LOOP_SAG, sd, 3_600_000),
      early: count(early, sd, 3_600_000),
    });
  }
  return { tauMs, rows, noise };
}
