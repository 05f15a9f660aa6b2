/**
 * Field-work commands of `orv3gw`: `scan`, `read`, `write` (guarded) and `monitor`, against a
 * real RS-485 port (--port), a Modbus TCP gateway (--modbus-tcp) or an in-process simulated
 * shelf (--sim), always through the real bus clients and drivers. One module per command;
 * connection.ts chooses the wire, args.ts parses what the user typed. docs/CLI.md shows them.
 *
 * Exit codes (via cli.ts `main`): 0 done; 1 an Orv3Error (bus, device, bounds, unknown device);
 * 2 a usage error (malformed address, unknown register name, write without --yes-i-mean-it).
 */
import type { Command } from 'commander';
import type { FieldHooks } from './connection.js';
import { registerMonitorCommand } from './monitor.js';
import { registerReadCommand } from './read.js';
import { registerScanCommand } from './scan.js';
import { registerWriteCommand } from './write.js';

export type { FieldHooks } from './connection.js';

/** Adds scan, read, write and monitor to `program`; `hooks` are for tests. */
export function registerFieldCommands(program: Command, hooks: FieldHooks = {}): void {
  registerScanCommand(program, hooks);
  registerReadCommand(program, hooks);
  registerWriteCommand(program, hooks);
  registerMonitorCommand(program, hooks);
}
