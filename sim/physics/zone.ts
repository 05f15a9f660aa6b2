import type { BbuParams, PhysicsParams, ZoneSpec } from '../params.js';
import type { LoadModel } from '../load/load-model.js';
import { Rng } from '../rng.js';
import { BbuState, SimBbu } from './bbu.js';
import { BusSolver } from './bus-solver.js';
import type { GridSource } from './grid.js';
import { PsuState, SimPsu } from './psu.js';

export interface ZoneConfig {
  zone: ZoneSpec;
  physics: PhysicsParams;
  bbuOverrides: Partial<BbuParams>;
  grid: GridSource;
  load: LoadModel;
  seed: number;
  initialSocPct: number;
}

/**
 * A power zone: shelves of PSUs and BBUs on one busbar node, fed by one grid source, feeding one
 * IT load. Time is integer microseconds so steps align exactly with millisecond ticks.
 */
export class SimZone {
  readonly spec: ZoneSpec;
  readonly physics: PhysicsParams;
  readonly grid: GridSource;
  readonly load: LoadModel;
  readonly psus: SimPsu[] = [];
  readonly bbus: SimBbu[] = [];
  readonly capF: number;
  private readonly solver: BusSolver;
  private readonly fineUs: number;
  private readonly coarseUs: number;
  private readonly quietUs: number;
  private readonly triggerV: number;
  private readonly ratedTotalW: number;
  private readonly shelfAcOk: boolean[];
  /** Shelf index of each BBU (precomputed: read every step). */
  private readonly bbuShelf: Int32Array;

  tUs = 0;
  busV: number;
  loadDemandW = 0;
  loadServedW = 0;
  gridW = 0;
  loadDropped = false;
  loadDropCount = 0;
  private loadRebootAtUs = 0;
  lastStepUs = 0;
  fineSteps = 0;
  coarseSteps = 0;
  // Energy books (J) and initial stored energy.
  eLoadJ = 0;
  private readonly eBus0: number;
  private readonly eBulk0: number;
  private readonly eBbu0: number;

  constructor(cfg: ZoneConfig) {
    this.spec = cfg.zone;
    this.physics = cfg.physics;
    this.grid = cfg.grid;
    this.load = cfg.load;
    const z = cfg.zone;
    const rng = new Rng(cfg.seed);
    const bbuParams = { ...cfg.physics.bbu, ...cfg.bbuOverrides, initialSocPct: cfg.initialSocPct };
    for (let s = 0; s < z.shelves; s++) {
      for (let i = 0; i < z.psusPerShelf; i++) {
        const idx = this.psus.length;
        const psu = new SimPsu(idx, z.psuRatedW, cfg.physics.psu, rng.fork(`psu-${idx}`));
        psu.initRunning();
        this.psus.push(psu);
      }
      for (let i = 0; i < z.bbusPerShelf; i++) {
        this.bbus.push(new SimBbu(this.bbus.length, z.bbuRatedW, z.bbuEnergyWh, bbuParams));
      }
    }
    this.shelfAcOk = new Array<boolean>(z.shelves).fill(true);
    this.bbuShelf = Int32Array.from(this.bbus, (_, j) => Math.floor(j / z.bbusPerShelf));
    this.capF = cfg.physics.bus.capacitancePerShelfF * z.shelves;
    this.solver = new BusSolver(this.psus.length + this.bbus.length);
    this.fineUs = cfg.physics.step.fineStepUs;
    this.coarseUs = cfg.physics.step.coarseStepUs;
    this.quietUs = cfg.physics.step.quietStepUs;
    this.triggerV = cfg.physics.bbu.nativeTriggerV;
    if (this.coarseUs % this.fineUs !== 0 || this.quietUs % this.coarseUs !== 0)
      throw new RangeError(
        'physics.step: coarseStepUs must be a multiple of fineStepUs, quietStepUs of coarseStepUs',
      );
    this.ratedTotalW = z.psuRatedW * this.psus.length;
    // Start in the steady state of the initial load so runs begin without a settling transient.
    this.loadDemandW = this.load.powerAt(0);
    this.busV = this.steadyBusV(this.loadDemandW);
    this.eBus0 = this.busEnergyJ;
    this.eBulk0 = this.bulkEnergyJ;
    this.eBbu0 = this.bbuEnergyJ;
  }

  get tS(): number {
    return this.tUs / 1e6;
  }

  get tMs(): number {
    return this.tUs / 1000;
  }

  get busEnergyJ(): number {
    return 0.5 * this.capF * this.busV * this.busV;
  }

  get bulkEnergyJ(): number {
    let e = 0;
    for (const p of this.psus) e += p.bulkEnergyJ;
    return e;
  }

  get bbuEnergyJ(): number {
    let e = 0;
    for (const b of this.bbus) e += b.energyJ;
    return e;
  }

  shelfOfPsu(i: number): number {
    return Math.floor(i / this.spec.psusPerShelf);
  }

  shelfOfBbu(i: number): number {
    return Math.floor(i / this.spec.bbusPerShelf);
  }

  isShelfAcOk(shelf: number): boolean {
    return this.shelfAcOk[shelf] ?? false;
  }

  /** Bus voltage where running PSUs share loadW on their droop lines. */
  private steadyBusV(loadW: number): number {
    const n = this.psus.length;
    if (n === 0) return this.spec.busNominalV;
    const p0 = this.psus[0]!;
    // V = Vset − R·I_each, I_each = P/(n·V): solve V² − Vset·V + R·P/n = 0.
    const disc = p0.vsetV ** 2 - (4 * p0.droopOhm * loadW) / n;
    return disc > 0 ? (p0.vsetV + Math.sqrt(disc)) / 2 : p0.vsetV / 2;
  }

  /** Advance the physics to exactly targetUs with as many adaptive steps as needed. */
  advanceTo(targetUs: number): void {
    while (this.tUs < targetUs) this.step(targetUs);
  }

  /** One adaptive step, never past limitUs. Returns the step in µs. */
  step(limitUs = Infinity): number {
    const t0 = this.tUs;
    let dt = this.needsFineStep() ? this.fineUs : this.coarseUs;
    // Coarse and quiet steps stay on their grids, so that 1 ms ticks line up.
    if (dt === this.coarseUs) {
      const off = t0 % this.coarseUs;
      if (off !== 0) dt = this.coarseUs - off;
      else if (t0 % this.quietUs === 0 && t0 + this.quietUs <= limitUs && this.isQuiet()) {
        dt = this.quietUs;
      }
    }
    const tS = t0 / 1e6;
    const nb = Math.min(this.grid.nextBreakS(tS), this.load.nextBreakS(tS));
    if (Number.isFinite(nb)) {
      const nbUs = Math.round(nb * 1e6);
      if (nbUs > t0 && nbUs < t0 + dt) dt = nbUs - t0;
    }
    if (t0 + dt > limitUs) dt = limitUs - t0;
    if (dt <= 0) dt = 1;
    this.integrate(dt);
    if (dt >= this.coarseUs) this.coarseSteps++;
    else this.fineSteps++;
    return dt;
  }

  private needsFineStep(): boolean {
    for (const p of this.psus) if (p.inTransient) return true;
    let armed = false;
    let capacity = 0;
    for (const b of this.bbus) {
      if (b.inTransient) return true;
      if (b.state === BbuState.Standby) armed = true;
      capacity += b.dischargeCapacityW();
    }
    if (armed && this.busV < this.triggerV + 0.3) return true;
    const tS = this.tUs / 1e6;
    if (this.grid.isRamping(tS)) return true;
    for (const p of this.psus) capacity += p.continuousCapacityW();
    // The chargers draw from the same bus: load + charging near the sources' limit is where the
    // PSUs current-limit and the bus walks down to the BBUs' trigger within a few ms.
    let chargeW = 0;
    for (const b of this.bbus) chargeW += b.chargeW;
    return this.loadServedW + chargeW > 0.98 * capacity;
  }

  /** Nothing can change within a quiet step: see StepParams.quietStepUs. */
  private isQuiet(): boolean {
    const nowMs = this.tUs / 1000;
    const needMs = this.quietUs / 1000;
    for (const p of this.psus) if (p.quietForMs(nowMs) < needMs) return false;
    for (const b of this.bbus) if (b.quietForMs(nowMs) < needMs) return false;
    const tS = this.tUs / 1e6;
    const endS = (this.tUs + this.quietUs) / 1e6;
    if (this.grid.nextBreakS(tS) <= endS || this.grid.isRamping(tS)) return false;
    if (this.load.nextBreakS(tS) <= endS) return false;
    return this.load.powerAt(endS) === this.loadDemandW;
  }

  private integrate(dtUs: number): void {
    const t1Us = this.tUs + dtUs;
    const t1S = t1Us / 1e6;
    const nowMs = t1Us / 1000;
    const dtMs = dtUs / 1000;
    const dtS = dtUs / 1e6;
    const vac = this.grid.vacAt(t1S);
    const hz = this.grid.frequencyAt(t1S);
    const v0 = this.busV;
    const nP = this.psus.length;

    for (let s = 0; s < this.spec.shelves; s++) {
      let ok = true;
      let any = false;
      const lo = s * this.spec.psusPerShelf;
      for (let i = lo; i < lo + this.spec.psusPerShelf; i++) {
        const p = this.psus[i]!;
        if (p.state === PsuState.FaultOc || p.state === PsuState.OffCommanded) continue;
        any = true;
        if (!p.acOk) ok = false;
      }
      this.shelfAcOk[s] = ok && any;
    }

    let sinks = 0;
    for (let i = 0; i < nP; i++) {
      const p = this.psus[i]!;
      p.prepare(nowMs, dtMs, vac, hz, v0);
      this.solver.setSource(i, p.vregV, p.droopOhm, p.icapA, p.pcapW);
      sinks += p.busSinkW();
    }
    for (let j = 0; j < this.bbus.length; j++) {
      const b = this.bbus[j]!;
      b.prepare(nowMs, dtMs, v0, this.shelfAcOk[this.bbuShelf[j]!]!);
      this.solver.setSource(nP + j, b.vregV, b.droopOhm, b.icapA, b.pcapW);
      sinks += b.busSinkW();
    }

    this.loadDemandW = this.load.powerAt(t1S);
    if (this.loadDropped && t1Us >= this.loadRebootAtUs) this.loadDropped = false;
    let loadW = this.loadDropped ? 0 : this.loadDemandW;
    let v1 = this.solver.solve(v0, this.capF, dtS, sinks + loadW);
    if (loadW > 0 && v1 < this.physics.bus.loadDropV) {
      // The IT load's input UVLO opens: it stops drawing, and reboots much later.
      this.loadDropped = true;
      this.loadDropCount++;
      this.loadRebootAtUs = t1Us + this.physics.bus.loadRebootS * 1e6;
      loadW = 0;
      v1 = this.solver.solve(v0, this.capF, dtS, sinks);
    }

    let grid = 0;
    for (let i = 0; i < nP; i++) {
      const p = this.psus[i]!;
      p.commit(dtMs, v1, this.solver.current(i, v1));
      grid += p.pinW;
    }
    for (let j = 0; j < this.bbus.length; j++) {
      this.bbus[j]!.commit(dtMs, v1, this.solver.current(nP + j, v1));
    }
    this.busV = v1;
    this.loadServedW = loadW;
    this.gridW = grid;
    this.eLoadJ += loadW * dtS;
    this.tUs = t1Us;
    this.lastStepUs = dtUs;
  }

  /** Energy books since the start: every term in J; `imbalanceJ` should be ~0. */
  energyBooks(): EnergyBooks {
    let grid = 0;
    let loss = 0;
    let bbuOut = 0;
    for (const p of this.psus) {
      grid += p.eGridJ;
      loss += p.eLossJ;
    }
    for (const b of this.bbus) {
      loss += b.eLossJ;
      bbuOut += b.eOutJ;
    }
    const dBbu = this.bbuEnergyJ - this.eBbu0;
    const dBus = this.busEnergyJ - this.eBus0;
    const dBulk = this.bulkEnergyJ - this.eBulk0;
    const out = this.eLoadJ + loss + dBbu + dBus + dBulk;
    return {
      gridJ: grid,
      loadJ: this.eLoadJ,
      lossJ: loss,
      bbuStoredDeltaJ: dBbu,
      busStoredDeltaJ: dBus,
      bulkStoredDeltaJ: dBulk,
      bbuDischargeJ: bbuOut,
      imbalanceJ: grid - out,
    };
  }
}

export interface EnergyBooks {
  gridJ: number;
  loadJ: number;
  lossJ: number;
  bbuStoredDeltaJ: number;
  busStoredDeltaJ: number;
  bulkStoredDeltaJ: number;
  bbuDischargeJ: number;
  imbalanceJ: number;
}
