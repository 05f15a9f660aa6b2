import { VirtualClock } from '../src/clock/index.js';
import { Instruments } from './instruments.js';
import { GridSource } from './physics/grid.js';
import { SimZone } from './physics/zone.js';
import { createScenarioLoadModel, type Scenario } from './scenario/index.js';

/**
 * A scenario brought to life: the zone physics on a VirtualClock. Outside code gets the clock,
 * the read-only instruments, and (for a gateway) the register façades — never the physics.
 */
export class Simulation {
  readonly clock: VirtualClock;
  readonly instruments: Instruments;
  readonly scenario: Scenario;
  readonly grid: GridSource;
  /** Kept private to sim/: the façades and instruments are built on it. */
  readonly #zone: SimZone;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
    this.grid = new GridSource(scenario.grid);
    const load = createScenarioLoadModel(scenario);
    this.#zone = new SimZone({
      zone: scenario.zone,
      physics: scenario.physics,
      bbuOverrides: scenario.bbuOverrides,
      grid: this.grid,
      load,
      seed: scenario.seed,
      initialSocPct: scenario.initial.socPct,
    });
    this.clock = new VirtualClock();
    this.instruments = new Instruments(this.#zone);
  }

  /** For sim/facade only (the device directory is built on the zone). */
  zoneForFacade(): SimZone {
    return this.#zone;
  }

  get tUs(): number {
    return this.#zone.tUs;
  }

  /**
   * Advance physics and clock together to targetUs. `onStep` runs after every physics step
   * (for measurement); clock timers fire at their due times between steps.
   */
  advanceTo(targetUs: number, onStep?: () => void): void {
    const z = this.#zone;
    while (z.tUs < targetUs) {
      const due = this.clock.nextDueMs();
      const limit = due === null ? targetUs : Math.min(targetUs, Math.ceil(due * 1000));
      z.step(limit > z.tUs ? limit : targetUs);
      onStep?.();
      this.clock.advanceTo(z.tUs / 1000);
    }
  }
}
