import { VirtualClock } from '../src/clock/index.js';
import { DeviceDirectory } from './facade/index.js';
import { Instruments } from './instruments.js';
import { GridSource } from './physics/grid.js';
import { SimZone } from './physics/zone.js';
import { createScenarioLoadModel, type Scenario } from './scenario/index.js';

/**
 * A scenario brought to life: the zone physics on a VirtualClock. Outside code gets the clock,
 * the register façades (`devices`, all a gateway may touch) and the read-only `instruments`
 * (measurement) — never the physics itself.
 */
export class Simulation {
  readonly clock: VirtualClock;
  readonly instruments: Instruments;
  readonly devices: DeviceDirectory;
  readonly scenario: Scenario;
  readonly grid: GridSource;
  readonly #zone: SimZone;

  /**
   * @param opts.epochOriginMs Unix ms of simulated time 0 (default 2026-01-01, reproducible);
   *   a live run passes the wall clock so that timestamps leaving the process are real.
   */
  constructor(scenario: Scenario, opts: { epochOriginMs?: number } = {}) {
    this.scenario = scenario;
    this.grid = new GridSource(scenario.grid);
    this.#zone = new SimZone({
      zone: scenario.zone,
      physics: scenario.physics,
      bbuOverrides: scenario.bbuOverrides,
      grid: this.grid,
      load: createScenarioLoadModel(scenario),
      seed: scenario.seed,
      initialSocPct: scenario.initial.socPct,
    });
    this.clock = new VirtualClock(
      opts.epochOriginMs === undefined ? {} : { epochOriginMs: opts.epochOriginMs },
    );
    this.instruments = new Instruments(this.#zone);
    this.devices = new DeviceDirectory(this.#zone, { epochMs: () => this.clock.epochMs() });
  }

  get tUs(): number {
    return this.#zone.tUs;
  }

  /**
   * Advance physics, device-side actions and clock together to targetUs. No step straddles a
   * clock timer or a device action; `onStep` runs after every physics step (measurement).
   */
  advanceTo(targetUs: number, onStep?: () => void): void {
    const z = this.#zone;
    while (z.tUs < targetUs) {
      let limit = targetUs;
      const due = this.clock.nextDueMs();
      if (due !== null) limit = Math.min(limit, Math.ceil(due * 1000));
      const act = this.devices.nextActionMs();
      if (act !== null) limit = Math.min(limit, Math.ceil(act * 1000));
      z.step(limit > z.tUs ? limit : targetUs);
      onStep?.();
      this.devices.service();
      this.clock.advanceTo(z.tUs / 1000);
    }
  }
}
