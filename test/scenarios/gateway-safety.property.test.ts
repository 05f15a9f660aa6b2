/**
 * Closed-loop safety properties (issue 4, item 4): random scenarios (load level and a load step,
 * a random sag, a random starting SoC) × random faults (dead BBU or PSU on PMBus, garbled
 * answers, a dead fast lane, a dead gateway) with the gateway in the loop over the simulated
 * buses. Judged at every control tick from simulator truth:
 * - every commanded discharge carries an expiry no longer than the configured lease;
 * - after the gateway or its fast lane dies, nothing it commanded outlives its lease;
 * - outside a real outage (AC bad, or the budgeted recovery after it) no BBU whose SoC is under
 *   its share of the backup reserve is made to discharge;
 * - the gateway never drops load where the conventional shelf (same file) does not.
 * CI runs GATEWAY_SAFETY_RUNS (default 24); the soak figure is in the closing note.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runScenario } from '../../sim/run/runner.js';
import { controlConfig, reserveWh } from '../../src/control/index.js';
import { runScenarioWithGateway } from '../../src/simlink/index.js';
import { inlineScenario } from '../support/sim.js';

const RUNS = Number(process.env.GATEWAY_SAFETY_RUNS ?? 24);
const cfg = controlConfig();
const RATED = 33_000;
const BBU_WH = 150;

const fault = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('deadBbu' as const), slot: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('deadPsu' as const), slot: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('garble' as const), every: fc.integer({ min: 5, max: 60 }) }),
  fc.record({
    kind: fc.constant('laneDeath' as const),
    atS: fc.double({ min: 0.3, max: 2.2, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('kill' as const),
    atS: fc.double({ min: 0.3, max: 2.2, noNaN: true }),
  }),
);

const scenario = fc.record({
  loadPct: fc.integer({ min: 30, max: 95 }),
  stepPct: fc.integer({ min: -20, max: 20 }),
  stepAtS: fc.double({ min: 0.3, max: 2, noNaN: true }),
  sagPu: fc.constantFrom(0, 0.25, 0.5, 0.7, 0.8, 1),
  sagAtS: fc.double({ min: 0.6, max: 1.6, noNaN: true }),
  sagMs: fc.integer({ min: 20, max: 700 }),
  socPct: fc.integer({ min: 40, max: 100 }),
  seed: fc.integer({ min: 1, max: 1000 }),
});

describe(`closed-loop safety (${RUNS} random scenario × fault runs)`, () => {
  it('holds at every tick', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fault, async (p, f) => {
        const w0 = (p.loadPct / 100) * RATED;
        const w1 = Math.min(RATED, Math.max(0.1 * RATED, w0 + (p.stepPct / 100) * RATED));
        const events = p.sagPu < 1 ? [{ atS: p.sagAtS, pu: p.sagPu, durationMs: p.sagMs }] : [];
        const s = inlineScenario({
          name: 'random',
          durationS: 3,
          seed: p.seed,
          zone: { preset: 'orv3-hpr-33kw' },
          initial: { socPct: p.socPct },
          load: {
            kind: 'steps',
            steps: [
              { atS: 0, watts: w0, riseMs: 1 },
              { atS: p.stepAtS, watts: w1, riseMs: 5 },
            ],
          },
          grid: { nominalVac: 277, events },
        });
        const sagEndS = p.sagAtS + p.sagMs / 1000;
        const deathS = f.kind === 'kill' || f.kind === 'laneDeath' ? f.atS : Infinity;
        let n = 0;
        let broken: string | null = null;
        const fail = (what: string, t: number): void => {
          broken ??= `${what} at ${t.toFixed(4)} s`;
        };
        const gw = await runScenarioWithGateway(s, {
          ...(f.kind === 'kill' ? { killAtS: f.atS } : {}),
          ...(f.kind === 'garble'
            ? {
                corruptPmbus: (_s: number, _a: number, _c: number, rx: Uint8Array) => {
                  if (++n % f.every === 0 && rx.length > 0) rx[0]! ^= 0xff;
                },
              }
            : {}),
          onReady: ({ sg }) => {
            if (f.kind === 'deadBbu') sg.deadPmbus[0]!.add(0x40 + f.slot);
            if (f.kind === 'deadPsu') sg.deadPmbus[0]!.add(0x58 + f.slot);
          },
          onTick: ({ sg }) => {
            const inst = sg.sim.instruments;
            const t = inst.tS;
            if (f.kind === 'laneDeath' && t >= f.atS && sg.deadPmbus[0]!.size < 30)
              for (let a = 0x40; a < 0x64; a++) sg.deadPmbus[0]!.add(a);
            const acBad = events.length > 0 && t >= p.sagAtS && t < sagEndS && p.sagPu < 0.72;
            const recovering =
              events.length > 0 && t >= p.sagAtS && t < sagEndS + cfg.pfaprBudgetMs / 1000;
            const loadNow = t < p.stepAtS ? w0 : w1;
            const floorPct = Math.min(100, (100 * reserveWh(Math.min(w0, w1), cfg)) / (6 * BBU_WH));
            for (let i = 0; i < inst.bbuCount; i++) {
              const b = inst.bbu(i);
              if (b.state !== 'forced') continue;
              if (b.forcedLeaseRemainingMs > cfg.dischargeLeaseMs + 1e-6)
                fail(`BBU ${i} lease ${b.forcedLeaseRemainingMs} ms`, t);
              if (t > deathS + (cfg.dischargeLeaseMs + 2) / 1000)
                fail(`BBU ${i} still forced after the gateway died`, t);
              // 1 % slack: the gateway reads SoC over the wire in 0.01 % steps every few ms.
              if (!acBad && !recovering && b.socPct < floorPct - 1)
                fail(
                  `BBU ${i} discharged at ${b.socPct.toFixed(1)} % < reserve ${floorPct.toFixed(1)} % (load ${loadNow})`,
                  t,
                );
            }
          },
        });
        expect(broken).toBeNull();
        if (gw.loadDropped) expect(runScenario(s).loadDropped).toBe(true);
      }),
      {
        numRuns: RUNS,
        // Found by the 1000-run soak: the fast lane dies 11 ms into a 318 ms outage at 40 % SoC;
        // the leases lapsed with the PSUs held off and the BBUs stopped and re-triggered
        // (fixed in the BBU model: a forced discharge ends into native backup).
        examples: [
          [
            {
              loadPct: 31,
              stepPct: 0,
              stepAtS: 0.3,
              sagPu: 0,
              sagAtS: 0.8818565,
              sagMs: 318,
              socPct: 40,
              seed: 1,
            },
            { kind: 'laneDeath', atS: 0.8932090000000003 },
          ],
          // The next soak: the gateway dies at 94 % load; its BBU charge limits lapse and all six
          // chargers draw 550 W at once, the PSUs current-limit — and the simulator took a 10 ms
          // quiet step through it and dropped the load (fixed in the zone's step control: the
          // chargers' draw counts against the sources' capacity).
          [
            {
              loadPct: 94,
              stepPct: 3,
              stepAtS: 0.3,
              sagPu: 0.8,
              sagAtS: 0.6,
              sagMs: 20,
              socPct: 40,
              seed: 1,
            },
            { kind: 'kill', atS: 0.3 },
          ],
          // The third: PSU 0 dead on PMBus, so the load the gateway read was 5/6 of the real one
          // and the reserve was sized on it — the BBUs were spent below the true reserve (fixed:
          // the reserve counts what unread PSUs may carry).
          [
            {
              loadPct: 76,
              stepPct: 5,
              stepAtS: 0.40405039094039497,
              sagPu: 0,
              sagAtS: 0.6,
              sagMs: 20,
              socPct: 62,
              seed: 1,
            },
            { kind: 'deadPsu', slot: 0 },
          ],
          // The fourth: the gateway dies while recharging at 2 kW per BBU; a 0.7 p.u. sag derates
          // the PSUs under load + charging, and the simulator took a 12 ms step through the
          // oscillation at the BBUs' trigger (fixed: a derated PSU's capacity is its derated cap).
          [
            {
              loadPct: 58,
              stepPct: 4,
              stepAtS: 0.3,
              sagPu: 0.7,
              sagAtS: 0.6,
              sagMs: 51,
              socPct: 40,
              seed: 1,
            },
            { kind: 'kill', atS: 0.37738656000000004 },
          ],
          // The fifth (CI's random run): the gateway dies while recharging at 2 kW per BBU; in a
          // 55 ms outage the chargers drained the PSUs' hold-up, and the held PSUs waited for a
          // restart nobody sent (fixed: the gateway charges no faster than the native charger).
          [
            {
              loadPct: 30,
              stepPct: 0,
              stepAtS: 0.3,
              sagPu: 0,
              sagAtS: 0.6000000000000001,
              sagMs: 55,
              socPct: 40,
              seed: 1,
            },
            { kind: 'kill', atS: 0.3 },
          ],
        ],
      },
    );
  }, 1_800_000);
});
