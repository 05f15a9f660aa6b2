import { ErrorCode, Orv3Error } from '../../errors.js';

/**
 * Commands the main thread sends the loop (north side: Redfish power cap, MQTT workload hints),
 * as fixed 4-wide Float64 records on the main→worker ring: [kind, a, b, c]. To add a command, add
 * its kind code, a union member and one line to each of encode/decode.
 */
export type RealtimeCommand =
  /** Grid-visible power limit for the rack zone, W. */
  | { readonly kind: 'setPowerCap'; readonly watts: number }
  /** Workload hint: a load change of deltaW expected in leadMs. */
  | { readonly kind: 'hint'; readonly deltaW: number; readonly leadMs: number };

export const COMMAND_WIDTH = 4;

const KIND = { setPowerCap: 1, hint: 2 } as const;

/** Writes `cmd` into `out` (≥ COMMAND_WIDTH long); throws on non-finite values. */
export function encodeCommand(cmd: RealtimeCommand, out: Float64Array | number[]): void {
  switch (cmd.kind) {
    case 'setPowerCap':
      put(out, KIND.setPowerCap, cmd.watts, 0);
      return;
    case 'hint':
      put(out, KIND.hint, cmd.deltaW, cmd.leadMs);
      return;
  }
}

function put(out: Float64Array | number[], kind: number, a: number, b: number): void {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new Orv3Error(ErrorCode.RealtimeBadOptions, 'command values must be finite', { a, b });
  }
  out[0] = kind;
  out[1] = a;
  out[2] = b;
  out[3] = 0;
}

/** The command in a ring record, or null for a kind this build does not know. */
export function decodeCommand(rec: ArrayLike<number>): RealtimeCommand | null {
  switch (rec[0]) {
    case KIND.setPowerCap:
      return { kind: 'setPowerCap', watts: rec[1]! };
    case KIND.hint:
      return { kind: 'hint', deltaW: rec[1]!, leadMs: rec[2]! };
    default:
      return null;
  }
}
