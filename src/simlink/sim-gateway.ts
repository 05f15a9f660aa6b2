import { Gateway, type GatewayOptions } from '../gateway/index.js';
import type { Scenario } from '../../sim/scenario/index.js';
import { Simulation } from '../../sim/simulation.js';
import { simulatedPmbus, simulatedRtu } from './wires.js';

export interface SimGateway {
  readonly sim: Simulation;
  readonly gateway: Gateway;
}

/**
 * The gateway process on an in-process simulated shelf: the zone's devices over our real
 * clients on the simulated wires (Modbus RTU at the family's baud rate, PMBus at 1 MHz per
 * shelf), everything on the simulation's VirtualClock. Drive it with `lockstep`.
 */
export function createSimGateway(
  scenario: Scenario,
  opts: {
    epochOriginMs?: number;
    pmbusClockHz?: number;
    gateway?: Partial<Omit<GatewayOptions, 'clock' | 'modbus' | 'pmbus'>>;
  } = {},
): SimGateway {
  const sim = new Simulation(
    scenario,
    opts.epochOriginMs === undefined ? {} : { epochOriginMs: opts.epochOriginMs },
  );
  const baud = scenario.zone.family === 'hpr' ? 115200 : 19200;
  const { client: modbus } = simulatedRtu(sim.devices, sim.clock, baud);
  const pmbusByShelf = new Map<number, ReturnType<typeof simulatedPmbus>>();
  const gateway = new Gateway({
    clock: sim.clock,
    modbus,
    pmbus: (shelf) => {
      if (shelf >= scenario.zone.shelves) return undefined;
      let c = pmbusByShelf.get(shelf);
      if (!c) {
        c = simulatedPmbus(sim.devices, shelf, sim.clock, opts.pmbusClockHz ?? 1_000_000);
        pmbusByShelf.set(shelf, c);
      }
      return c;
    },
    // The zone's total PSU rating bounds the cap the north side may set.
    powerCapBoundsW: {
      min: 1000,
      max: scenario.zone.shelves * scenario.zone.psusPerShelf * scenario.zone.psuRatedW,
    },
    ...opts.gateway,
  });
  return { sim, gateway };
}
