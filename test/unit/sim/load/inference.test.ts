import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createLoadModel,
  INFERENCE_DEFAULTS,
  type InferenceLoadModel,
  type InferenceLoadSpec,
} from '../../../../sim/load/index.js';
import { parseTimestamp } from '../../../../sim/load/request-trace.js';
import { defaultSharedDir } from '../../../../sim/scenario/index.js';
import { ctx } from './ctx.js';
import { checkCursor, naiveBreaks, naiveNextBreak, naiveValue } from './reference.js';

const dir = mkdtempSync(join(tmpdir(), 'orv3-infer-'));
let n = 0;
function requests(rows: [number | string, number, number][], header = true): string {
  const name = `r${n++}.csv`;
  const body = rows.map((r) => r.join(',')).join('\n');
  writeFileSync(
    join(dir, name),
    (header ? 'TIMESTAMP,ContextTokens,GeneratedTokens\n' : '') + body + '\n',
  );
  return name;
}

/** A small rack: 4-GPU instances at 100 / 300 / 1000 W idle / standby / active, 200 ms hold. */
const small = {
  kind: 'inference',
  gpus: 8,
  gpusPerInstance: 4,
  gpuIdleW: 100,
  gpuStandbyW: 300,
  gpuActiveW: 1000,
  standbyHoldMs: 200,
  prefillTokensPerS: 1000,
  decodeTokensPerS: 10,
  maxBatch: 2,
  baseW: 500,
} as const;

function model(
  file: string,
  over: Partial<InferenceLoadSpec> = {},
  durationS = 10,
): InferenceLoadModel {
  return createLoadModel(
    { ...small, file, ...over },
    ctx(durationS, { baseDir: dir }),
  ) as InferenceLoadModel;
}

/** Level after every break, walking the model from before t = 0. */
function profile(m: InferenceLoadModel): [number, number][] {
  const out: [number, number][] = [[0, m.powerAt(0)]];
  for (let t = m.nextBreakS(0); t < Infinity; t = m.nextBreakS(t)) out.push([t, m.powerAt(t)]);
  return out;
}

describe('inference load', () => {
  it('turns two requests into idle / active / standby power per instance', () => {
    // Times count from the first request. r0 → instance 0: prefill 0–0.5 s, 10 tokens to 1.5 s.
    // r1 → instance 1 (least loaded): prefill 0.2–0.3 s, 5 tokens to 0.8 s.
    const m = model(
      requests([
        [1.0, 500, 10],
        [1.2, 100, 5],
      ]),
    );
    const idle = 500 + 8 * 100;
    const p = profile(m).map(([t, w]) => [Math.round(t * 1e9) / 1e9, w]);
    expect(p).toEqual([
      [0, idle + 4 * 900], // instance 0 active
      [0.2, idle + 8 * 900], // both
      [0.8, idle + 4 * 900 + 4 * 200], // instance 1 in standby
      [1, idle + 4 * 900], // instance 1 back to idle after the 200 ms hold
      [1.5, idle + 4 * 200],
      [1.7, idle],
    ]);
    expect(m.run).toMatchObject({ instances: 2, requests: 2, meanQueueS: 0 });
    expect(m.peakW).toBe(idle + 8 * 900);
    expect(m.meanW).toBeCloseTo(
      (idle * 10 + 3600 * 1.5 + 3600 * 0.6 + 800 * 0.2 + 800 * 0.2) / 10,
      9,
    );
  });

  it('stays in standby across a gap shorter than the hold', () => {
    const m = model(
      requests([
        [1, 0, 10],
        [2.1, 0, 10],
      ]),
      { gpus: 4 },
    );
    const idle = 500 + 400;
    expect(m.powerAt(1.05)).toBe(idle + 4 * 200);
    expect(m.powerAt(1.1)).toBe(idle + 4 * 900);
    expect(profile(m).map(([t]) => Math.round(t * 1e9) / 1e9)).toEqual([0, 1, 1.1, 2.1, 2.3]);
  });

  it('queues when every batch slot is taken and serialises prefills', () => {
    const m = model(
      requests([
        [0, 0, 10],
        [0.1, 0, 10],
        [0.2, 0, 10],
      ]),
      { gpus: 4, maxBatch: 2 },
    );
    // Third request waits for the first to finish at 1.0 s.
    expect(m.run.meanQueueS).toBeCloseTo(0.8 / 3, 12);
    expect(m.run.maxQueueS).toBeCloseTo(0.8, 12);
    expect(m.powerAt(1.99)).toBe(500 + 4000);
    expect(m.powerAt(2.0)).toBe(500 + 1200);
    // Two 1000-token prompts arriving together: prefills 0–1 s and 1–2 s.
    const pf = model(
      requests([
        [0, 1000, 0],
        [0, 1000, 0],
      ]),
      { gpus: 4, maxBatch: 4 },
    );
    expect(pf.powerAt(1.5)).toBe(500 + 4000);
    expect(pf.nextBreakS(0)).toBe(2);
  });

  it('keeps spare GPUs idle and applies rateScale and startOffsetS to arrivals', () => {
    const spare = model(requests([[0, 0, 10]]), { gpus: 10 });
    expect(spare.run.instances).toBe(2);
    expect(spare.powerAt(20)).toBe(500 + 10 * 100);
    const scaled = model(
      requests([
        [10, 0, 10],
        [14, 0, 10],
      ]),
      { rateScale: 2, startOffsetS: 4 },
    );
    // Trace seconds 10 and 14 are 4 s apart (times are relative to the first request):
    // (0 − 4) / 2 = −2 s and (4 − 4) / 2 = 0 s; the first is done at −1 s.
    expect(scaled.powerAt(0)).toBe(500 + 800 + 4 * 900);
    expect(scaled.powerAt(-1.5)).toBe(500 + 800 + 4 * 900); // held from t = 0 backwards
    expect(scaled.nextBreakS(0)).toBe(1);
  });

  it('reads Azure date-time stamps, any column order, and unsorted rows', () => {
    expect(parseTimestamp('2023-11-16 18:15:46.6805900')).toEqual([
      19677,
      18 * 3600 + 15 * 60 + 46.68059,
    ]);
    const f = `x${n++}.csv`;
    writeFileSync(
      join(dir, f),
      'GeneratedTokens,TIMESTAMP,ContextTokens\n10,2023-11-17 00:00:00.5,0\n10,2023-11-16 23:59:59.5,0\n',
    );
    const m = model(f, { gpus: 4, maxBatch: 1 });
    // Across midnight, one second apart: the second request queues behind the first until 1 s.
    expect(m.run.maxQueueS).toBeCloseTo(0, 9);
    expect(m.powerAt(1.5)).toBe(500 + 4000);
    expect(m.nextBreakS(0)).toBeCloseTo(2, 9);
  });

  it('names the line of a malformed row', () => {
    expect(() =>
      model(
        requests([
          [0, 1, 1],
          ['soon', 1, 1],
        ]),
      ),
    ).toThrow(/load\.file: .*:3: bad TIMESTAMP "soon"/);
    expect(() => model(requests([[0, -1, 1]]))).toThrow(/:2: ContextTokens "-1"/);
  });

  it('rejects inconsistent power states and instance sizes, naming the field', () => {
    expect(() => model(requests([[0, 1, 1]]), { gpuStandbyW: 50 })).toThrow(/load\.gpuStandbyW/);
    expect(() => model(requests([[0, 1, 1]]), { gpusPerInstance: 16 })).toThrow(
      /load\.gpusPerInstance/,
    );
  });

  it('answers cursor queries like a naive scan of its own series', () => {
    const rows = fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 20_000 }).map((ms) => ms / 1000),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 60 }),
      ),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(rows, (r) => {
        const m = model(requests(r), {}, 30);
        const p = { t: Array.from(m.times), w: Array.from(m.watts) };
        const breaks = naiveBreaks(p, false);
        checkCursor(
          m,
          (t) => naiveValue(p, t, false),
          (t) => naiveNextBreak(breaks, t),
          [-1, 40],
          p.t,
          { runs: 5 },
        );
        // Every level is a sum of whole per-state powers: no drift from accumulated deltas.
        for (const w of p.w) expect(Number.isInteger(w)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

const realTrace = join(defaultSharedDir(), 'traces', 'azure-llm-inference-2023-conv.csv');
if (!existsSync(realTrace)) {
  console.warn(`\n!!!!! SKIPPING the real Azure LLM trace test: ${realTrace} is absent !!!!!\n`);
}

describe.skipIf(!existsSync(realTrace))(
  'inference load on the real Azure conversation trace',
  () => {
    it('builds the hour on a GB300-class rack within the rack envelope', () => {
      const m = createLoadModel(
        { kind: 'inference', file: '$SHARED/traces/azure-llm-inference-2023-conv.csv' },
        ctx(3600, { sharedDir: defaultSharedDir() }),
      ) as InferenceLoadModel;
      const d = INFERENCE_DEFAULTS;
      const idle = d.baseW + d.gpus * d.gpuIdleW;
      const full = d.baseW + d.gpus * d.gpuActiveW;
      expect(m.run.requests).toBe(19366);
      expect(m.run.instances).toBe(18);
      expect(full).toBeGreaterThanOrEqual(120_000); // fact: GB300 NVL72 ≈ 120–140 kW
      expect(full).toBeLessThanOrEqual(140_000);
      expect(m.peakW).toBeLessThanOrEqual(full);
      expect(m.meanW).toBeGreaterThan(idle);
      expect(m.meanW).toBeLessThan(m.peakW);
      let t = 0;
      let breaks = 0;
      while ((t = m.nextBreakS(t)) < 3600) breaks++;
      expect(breaks).toBeGreaterThan(1000);
    });
  },
);
