import { describe, it } from 'vitest';
import fc from 'fast-check';
import {
  controlConfig,
  Coordinator,
  DISCHARGE_MAP_MAX_W,
  reserveSocPct,
  spendableWh,
  type AcState,
  type ZoneView,
} from '../../../src/control/index.js';
import { zoneView } from '../../support/zone-views.js';

/**
 * The interlocks' invariants over random scenario/fault sequences fed to the coordinator: AC
 * events, load swings, SoC and capacity (unknown included), device faults (unhealthy BBUs and
 * PSUs), stale samples (watchdog), caps and restart flags. Every tick's decision is checked.
 */
const RUNS = Number(process.env.SAFETY_RUNS ?? 10_000);

/** Plain checks: a vitest expect per tick and device would cost more than the coordinator. */
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`invariant broken: ${what}`);
}

const segment = fc.record({
  ticks: fc.integer({ min: 1, max: 120 }),
  ac: fc.constantFrom<AcState>('normal', 'normal', 'normal', 'sag', 'loss'),
  loadW: fc.oneof(fc.double({ min: 0, max: 45_000, noNaN: true }), fc.constant(NaN)),
  noiseW: fc.double({ min: 0, max: 5000, noNaN: true }),
  soc: fc.array(fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(NaN)), {
    minLength: 6,
    maxLength: 6,
  }),
  capacityWh: fc.constantFrom(0, 84, 150, 150, 150),
  bbuHealthy: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  bbuFaultRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
  psuPending: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  psuHealthy: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  staleRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
  capW: fc.oneof(fc.constant(null), fc.double({ min: 1000, max: 40_000, noNaN: true })),
});

describe(`control safety invariants (${RUNS} random scenario/fault sequences)`, () => {
  it('holds at every tick', () => {
    const cfg = controlConfig();
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.integer(), (segs, seed) => {
        const c = new Coordinator(cfg, 6);
        let rnd = seed >>> 0;
        const r = (): number => {
          rnd = (Math.imul(rnd ^ (rnd >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
          return rnd / 2 ** 32;
        };
        const prev = new Float64Array(6);
        let t = 0;
        let minLoad = Infinity;
        let outageNormalRun = 0;
        for (const s of segs) {
          for (let k = 0; k < s.ticks; k++, t++) {
            const load = Number.isNaN(s.loadW)
              ? NaN
              : Math.max(0, s.loadW + (r() - 0.5) * s.noiseW);
            const base = zoneView({
              nowMs: t,
              acState: s.ac,
              acVac: s.ac === 'normal' ? 277 : s.ac === 'sag' ? 150 : 0,
              loadW: load,
              loadAheadW: load,
              capW: s.capW,
              fresh: !Number.isNaN(load) && r() >= s.staleRate,
            });
            const v: ZoneView = {
              ...base,
              psus: base.psus.map((p, i) => ({
                ...p,
                healthy: s.psuHealthy[i]!,
                restartPending: s.psuPending[i]!,
              })),
              bbus: base.bbus.map((b, i) => ({
                ...b,
                socPct: s.soc[i]!,
                capacityWh: s.capacityWh,
                healthy: s.bbuHealthy[i]! && r() >= s.bbuFaultRate,
              })),
            };
            if (Number.isFinite(load)) minLoad = Math.min(minLoad, load);
            const d = c.decide(v);
            // Every setpoint is a finite number within the map bound.
            for (let i = 0; i < 6; i++) {
              const w = d.dischargeW[i]!;
              check(
                Number.isFinite(w) && w >= 0 && w <= DISCHARGE_MAP_MAX_W,
                `setpoint ${w} out of bounds`,
              );
              const ch = d.chargeW[i]!;
              check(
                Number.isNaN(ch) || (ch >= 0 && ch <= 2000),
                `charge limit ${ch} out of bounds`,
              );
              // Excluded devices get nothing.
              if (!v.bbus[i]!.healthy) {
                check(w === 0 && Number.isNaN(ch), `excluded BBU ${i} commanded ${w} / ${ch}`);
              }
              // Never charge and discharge at once.
              if (ch > 0) check(d.grantedW === 0, 'charging while discharging');
            }
            if (d.mode === 'autonomous') {
              check(
                d.grantedW === 0 && !d.hold && d.restart === null && d.chargeW.every(Number.isNaN),
                'autonomous mode commanded something',
              );
            }
            // An outage is a bad AC, or the bounded recovery right after one.
            outageNormalRun = d.outage && v.acState === 'normal' ? outageNormalRun + 1 : 0;
            check(
              outageNormalRun <= cfg.pfaprBudgetMs / cfg.tickMs + 1,
              'outage exemption past the budget',
            );
            if (!d.outage) {
              // The reserve: energy below it only for an outage; rating and rate limits hold.
              // Sized on at least the smallest load seen (a NaN load must block, see below).
              if (Number.isFinite(load))
                check(
                  d.reserveLoadW >= Math.min(minLoad, load) - 1e-6,
                  `reserve sized on ${d.reserveLoadW} W`,
                );
              for (let i = 0; i < 6; i++) {
                const w = d.dischargeW[i]!;
                const b = v.bbus[i]!;
                check(w <= b.ratedW, `BBU ${i} above its rating outside an outage`);
                if (w > 0) {
                  check(
                    spendableWh(v.bbus, d.reserveLoadW, cfg) > 0,
                    'spent below the zone reserve',
                  );
                  check(
                    b.socPct > reserveSocPct(b, v.bbus, d.reserveLoadW, cfg),
                    `BBU ${i} discharged at ${b.socPct} % SoC, under its reserve share`,
                  );
                  check(w - prev[i]! <= cfg.maxSetpointStepW + 1e-9, 'setpoint rate limit');
                }
              }
            }
            if (d.restart !== null) {
              const p = v.psus.find((x) => x.id === d.restart);
              check(p?.healthy === true && p.restartPending, `restart of ${d.restart}`);
            }
            prev.set(d.dischargeW);
          }
        }
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
