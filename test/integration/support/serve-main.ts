/**
 * A stand-alone `orv3gw`-shaped entry for the signal test: `sim` with `serve` registered exactly
 * as src/cli.ts does it, run in a child process so SIGINT/SIGTERM reach a real process.
 */
import { Command } from 'commander';
import { registerServeCommand } from '../../../src/cli/serve-command.js';

const program = new Command().name('orv3gw');
const sim = program
  .command('sim')
  .option('-s, --scenario <file>', 'scenario JSON')
  .option('--shared-dir <dir>', 'folder that $SHARED/ paths resolve against');
registerServeCommand(sim);
await program.parseAsync(process.argv);
