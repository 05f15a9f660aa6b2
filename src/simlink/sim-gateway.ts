import { Gateway, type GatewayOptions } from '../gateway/index.js';
import type { Scenario } from '../../sim/scenario/index.js';
import { Simulation } from '../../sim/simulation.js';
import { SmbusPmbusClient, SyncPmbusClient } from '../bus/pmbus/index.js';
import { simulatedRtu, simulatedSmbusAdapter } from './wires.js';

export interface SimGateway {
  readonly sim: Simulation;
  readonly gateway: Gateway;
  /** Blocking clients of each shelf's segment, for the control loop (same twin). */
  readonly syncSegments: readonly SyncPmbusClient[];
  /** Fault injection on the PMBus segments: 7-bit addresses per shelf that NACK. */
  readonly deadPmbus: readonly Set<number>[];
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
    /**
     * Give the gateway the zone's Modbus units as its configured inventory (discovery probes
     * only those, as a site config would list them) instead of scanning every address.
     */
    inventory?: boolean;
    /** Fault injection: may alter PMBus response bytes (data, PEC) in place. */
    corruptPmbus?: (shelf: number, address: number, command: number, rx: Uint8Array) => void;
    gateway?: Partial<Omit<GatewayOptions, 'clock' | 'modbus' | 'pmbus'>>;
  } = {},
): SimGateway {
  const sim = new Simulation(
    scenario,
    opts.epochOriginMs === undefined ? {} : { epochOriginMs: opts.epochOriginMs },
  );
  const baud = scenario.zone.family === 'hpr' ? 115200 : 19200;
  const { client: modbus } = simulatedRtu(sim.devices, sim.clock, baud);
  const hz = opts.pmbusClockHz ?? 1_000_000;
  const deadPmbus = Array.from({ length: scenario.zone.shelves }, () => new Set<number>());
  const adapters = deadPmbus.map((dead, shelf) =>
    simulatedSmbusAdapter(
      sim.devices,
      shelf,
      sim.clock,
      hz,
      dead,
      opts.corruptPmbus ? (a, c, rx) => opts.corruptPmbus!(shelf, a, c, rx) : undefined,
    ),
  );
  const pmbusByShelf = new Map<number, SmbusPmbusClient>();
  const gateway = new Gateway({
    clock: sim.clock,
    modbus,
    pmbus: (shelf) => {
      if (shelf >= scenario.zone.shelves) return undefined;
      let c = pmbusByShelf.get(shelf);
      if (!c) {
        c = new SmbusPmbusClient(adapters[shelf]!);
        pmbusByShelf.set(shelf, c);
      }
      return c;
    },
    // The zone's total PSU rating bounds the cap the north side may set.
    powerCapBoundsW: {
      min: 1000,
      max: scenario.zone.shelves * scenario.zone.psusPerShelf * scenario.zone.psuRatedW,
    },
    ...(opts.inventory ? { inventory: sim.devices.list().map((d) => d.modbusAddress) } : {}),
    ...opts.gateway,
  });
  return {
    sim,
    gateway,
    syncSegments: adapters.map((a) => new SyncPmbusClient(a)),
    deadPmbus,
  };
}

/**
 * Re-anchors the shelf's wall-clock mapping (shelf and gateway share one VirtualClock) so that
 * epochMs() reads `epochMs` now, and moves the journal's stamps by the same shift: simulated
 * time that ran unpaced (discovery) leaves no stamps in the future once pacing starts. Stamps
 * derived from monotonic time (poller samples, via Gateway.toEpoch) follow by themselves, and
 * so do the simulated devices' clocks (a time sync sets an offset from the shared clock).
 * Returns the shift, ms.
 */
export function rebaseEpoch(sg: SimGateway, epochMs: number): number {
  const shiftMs = sg.sim.clock.rebaseEpoch(epochMs);
  sg.gateway.journal.shiftEpoch(shiftMs);
  return shiftMs;
}
