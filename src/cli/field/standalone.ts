/**
 * The field commands on a program of their own, with the exit-code mapping of cli.ts `main`
 * (CommanderError → its code, Orv3Error → 1). Tests use it to pass FieldHooks, which `main`
 * has no way to take.
 */
import { Command, CommanderError } from 'commander';
import { isOrv3Error } from '../../errors.js';
import { registerFieldCommands } from './index.js';
import type { FieldHooks } from './index.js';

/** `argv` as process.argv: node, script, command, arguments… Returns the exit code. */
export async function runFieldCli(
  argv: readonly string[],
  hooks: FieldHooks = {},
): Promise<number> {
  const program = new Command().name('orv3gw').exitOverride();
  registerFieldCommands(program, hooks);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isOrv3Error(e)) {
      process.stderr.write(`orv3gw: ${e.code}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
