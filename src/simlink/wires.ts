import { ModbusRtuClient, SimulatedLine } from '../bus/modbus/index.js';
import type { SlaveEndpoint } from '../bus/modbus/index.js';
import { SimulatedSmbusAdapter, SmbusPmbusClient } from '../bus/pmbus/index.js';
import type { Clock } from '../clock/index.js';
import { decodeRtuRequest, encodeRtuResponse } from '../protocol/modbus/index.js';
import type { DeviceDirectory } from '../../sim/facade/index.js';
import { execute } from '../../sim/servers/index.js';

/**
 * The gateway's real bus clients wired to an in-process simulated shelf over the simulated
 * twins: every transaction goes through our framing and costs its modelled wire time on the
 * clock. This (and the hint channel, later) is all of the shelf the gateway side ever sees.
 */
export function simulatedRtu(
  dir: DeviceDirectory,
  clock: Clock,
  baudRate: number,
): { readonly client: ModbusRtuClient; readonly line: SimulatedLine } {
  const endpoint: SlaveEndpoint = (frame) => {
    const d = decodeRtuRequest(frame);
    if (!d.ok) return null;
    const { unit, request } = d.value;
    const slave = dir.modbus(unit);
    if (slave === undefined || !slave.responding) return null;
    return encodeRtuResponse(unit, execute(slave, request));
  };
  const line = new SimulatedLine({ clock, baudRate, endpoint });
  return { client: new ModbusRtuClient({ clock, line }), line };
}

/** One shelf's PMBus segment; `dead` 7-bit addresses NACK (fault injection, may change live). */
export function simulatedPmbus(
  dir: DeviceDirectory,
  shelf: number,
  clock: Clock,
  clockHz = 400_000,
  dead: ReadonlySet<number> = new Set(),
): SmbusPmbusClient {
  return new SmbusPmbusClient(simulatedSmbusAdapter(dir, shelf, clock, clockHz, dead));
}

/** The byte-level twin of one shelf's segment (async and blocking transfers). */
export function simulatedSmbusAdapter(
  dir: DeviceDirectory,
  shelf: number,
  clock: Clock,
  clockHz = 400_000,
  dead: ReadonlySet<number> = new Set(),
  corruptResponse?: (address: number, command: number, response: Uint8Array) => void,
): SimulatedSmbusAdapter {
  const lookup = (a: number) => (dead.has(a) ? undefined : dir.pmbus(shelf, a));
  return new SimulatedSmbusAdapter({
    clock,
    clockHz,
    lookup,
    ...(corruptResponse ? { corruptResponse } : {}),
  });
}
