/**
 * The gateway's 1 kHz control loop as Redfish shows it (docs/REDFISH.md, "Control loop"): the
 * OEM object on the Manager and the loop's mode names on the wire. Values come from
 * `gateway.control` — the source of the MQTT `Control/*` node metrics — which is null when no
 * loop runs (`--no-control`, or a gateway that only polls).
 *
 * No `@odata.type` in the OEM object: DMTF's bundle has no schema for it and we publish none
 * (no JsonSchemas/CSDL of our own), so a type there would name a schema nobody can fetch.
 */
import type { ControlStatus } from '../../gateway/index.js';
import type { JsonObject } from './http/route.js';

/** Our key under `Oem` (DSP0266: the name identifies who defines the object). */
export const OEM_ID = 'Orv3Gateway';

export type LoopMode = ControlStatus['mode'];

/** Redfish enumerations are PascalCase; MQTT `Control/Mode` carries the lowercase names. */
const MODE_NAMES: Readonly<Record<LoopMode, string>> = {
  autonomous: 'Autonomous',
  normal: 'Normal',
  ride: 'Ride',
  recover: 'Recover',
};

export const modeName = (m: LoopMode): string => MODE_NAMES[m];

export const isLoopMode = (s: unknown): s is LoopMode =>
  typeof s === 'string' && Object.hasOwn(MODE_NAMES, s);

/** `Oem.Orv3Gateway.ControlLoop` of the Manager: null when no loop runs. */
export function controlLoopJson(c: ControlStatus | null): JsonObject | null {
  if (c === null) return null;
  return {
    Mode: modeName(c.mode),
    Ticks: c.ticks,
    Overruns: c.overruns,
    ThrottleRequested: c.throttleRequested,
  };
}

/** The Manager's `Oem` object: the key stays when no loop runs, its ControlLoop is null. */
export const managerOem = (c: ControlStatus | null): JsonObject => ({
  [OEM_ID]: { ControlLoop: controlLoopJson(c) },
});
