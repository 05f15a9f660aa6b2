import { createWriteStream } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isOrv3Error } from './errors.js';
import { runSimCommand } from './cli/sim-command.js';
import { runLiveCommand } from './cli/live-command.js';
import { registerServeCommand } from './cli/serve-command.js';
import { registerFieldCommands } from './cli/field/index.js';
import { uplinkAttacher } from './cli/mqtt-uplink.js';
import { addRedfishOptions } from './cli/redfish-options.js';

/** `orv3gw` entry point. Returns the process exit code instead of exiting, for tests. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('orv3gw')
    .description('OCP Open Rack V3 power-shelf gateway and register-level shelf simulator')
    .exitOverride()
    .showHelpAfterError();

  const sim = program
    .command('sim')
    .description('run a scenario file on the simulated shelf, faster than real time')
    .option('-s, --scenario <file>', 'scenario JSON (docs/SCENARIOS.md)')
    .option('--json', 'print the result object as JSON')
    .option('--gateway', 'put the gateway in the loop (control over the simulated buses)')
    .option('--trace <file>', 'write a CSV trace of the run')
    .option('--trace-every-ms <ms>', 'trace decimation in simulated ms', '1')
    .option('--shared-dir <dir>', 'folder that $SHARED/ paths resolve against')
    .action(async (o: SimOpts) => {
      if (!o.scenario) throw new UsageError('sim: --scenario <file> is required');
      const traceStream = o.trace ? createWriteStream(o.trace) : null;
      await runSimCommand({
        scenarioFile: o.scenario,
        json: Boolean(o.json),
        gateway: Boolean(o.gateway),
        traceSink: traceStream ? (l) => traceStream.write(l + '\n') : undefined,
        traceEveryMs: Number(o.traceEveryMs),
        sharedDir: o.sharedDir,
        out: (s) => process.stdout.write(s),
      });
      if (traceStream) await new Promise<void>((r) => traceStream.end(r));
    });

  registerServeCommand(sim);
  registerFieldCommands(program);

  const run = program
    .command('run')
    .description('run the gateway; with --sim, against the built-in simulated shelf in real time')
    .option('--sim', 'use the built-in simulated shelf (no hardware)')
    .option('-s, --scenario <file>', 'scenario for the simulated shelf (default: embedded demo)')
    .option('--speed <x>', 'simulated seconds per wall second', '1')
    .option('--duration <s>', 'stop <s> paced seconds after discovery (wall time at --speed 1)')
    .option(
      '--no-control',
      "no 1 kHz control loop: the gateway only polls (the poller's fast lane reads the PMBus)",
    )
    .option('--shared-dir <dir>', 'folder that $SHARED/ paths resolve against')
    .option('--mqtt-url <url>', 'Sparkplug B uplink broker (mqtt:// or mqtts://); off without it')
    .option('--sparkplug-group <id>', 'Sparkplug group id (default: orv3-site)')
    .option('--sparkplug-node <id>', 'Sparkplug edge node id (default: this host name)')
    .option('--mqtt-username <user>', 'broker user name (password from ORV3GW_MQTT_PASSWORD)')
    .option('--primary-host <id>', 'publish only while this Sparkplug primary host is online')
    .option('--mqtt-store <dir>', 'durable store-and-forward queue directory')
    .option('--mqtt-ca <file>', 'PEM CA bundle that signs the broker (with mqtts://)')
    .option('--mqtt-cert <file>', 'PEM client certificate for mutual TLS (with --mqtt-key)')
    .option('--mqtt-key <file>', 'PEM private key of the client certificate')
    .option(
      '--authorise-commands <list>',
      'comma-separated NCMD/DCMD the broker side may send (default: none)',
    )
    .action(async (o: RunOpts) => {
      if (!o.sim)
        throw new UsageError(
          'only --sim is available yet: hardware transports land with the southbound issue',
        );
      const onGateway = uplinkAttacher({
        mqttUrl: o.mqttUrl,
        group: o.sparkplugGroup,
        node: o.sparkplugNode,
        username: o.mqttUsername,
        primaryHost: o.primaryHost,
        storeDir: o.mqttStore,
        authorise: o.authoriseCommands,
        caFile: o.mqttCa,
        certFile: o.mqttCert,
        keyFile: o.mqttKey,
      });
      await runLiveCommand({
        ...(onGateway ? { onGateway } : {}),
        scenarioFile: o.scenario,
        speed: Number(o.speed),
        durationS: o.duration === undefined ? undefined : Number(o.duration),
        control: o.control,
        sharedDir: o.sharedDir,
        // The Redfish service is always up with `run` (docs/REDFISH.md).
        redfish: { redfishListen: o.redfishListen, insecureHttp: o.insecureHttp, config: o.config },
      });
    });
  addRedfishOptions(run);

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof UsageError) {
      process.stderr.write(`orv3gw: ${e.message}\n`);
      return 2;
    }
    if (isOrv3Error(e)) {
      process.stderr.write(`orv3gw: ${e.code}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

class UsageError extends Error {}

interface SimOpts {
  scenario?: string;
  json?: boolean;
  gateway?: boolean;
  trace?: string;
  traceEveryMs: string;
  sharedDir?: string;
}

interface RunOpts {
  sim?: boolean;
  mqttUrl?: string;
  sparkplugGroup?: string;
  sparkplugNode?: string;
  mqttUsername?: string;
  primaryHost?: string;
  mqttStore?: string;
  authoriseCommands?: string;
  mqttCa?: string;
  mqttCert?: string;
  mqttKey?: string;
  redfishListen?: string;
  insecureHttp?: boolean;
  config?: string;
  scenario?: string;
  speed: string;
  duration?: string;
  /** False with --no-control. */
  control: boolean;
  sharedDir?: string;
}
