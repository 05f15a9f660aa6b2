/**
 * The seam for Redfish tests, conformance and benchmarks: the whole gateway on an in-process
 * simulated shelf, with its Redfish service on 127.0.0.1:0. Values reach Redfish only through
 * the gateway's own polling of the simulated buses.
 *
 * Time: by default the shelf runs in lockstep on its VirtualClock and moves only in
 * `advance(ms)` (and, automatically, while a Redfish request waits on a gateway command, so a
 * PATCH that writes over Modbus completes without the test driving time). With
 * `realTime: true` the shelf runs on its own in the background at wall-clock pace (benches),
 * paced by `RealTimePacer` (bounded slices, no catch-up bursts), and the service keeps its
 * sessions, limits and caches on the real clock, as it would beside real hardware.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { RealClock } from '../../src/clock/index.js';
import {
  startRedfishService,
  type RedfishService,
  type RedfishServiceOptions,
} from '../../src/north/redfish/index.js';
import { createSimGateway, lockstep, type SimGateway } from '../../src/simlink/index.js';
import { loadScenarioFile, parseScenario, type Scenario } from '../../sim/scenario/index.js';
import { RealTimePacer, type PacerOptions } from '../../src/simlink/index.js';
import { REPO, SHARED_DIR } from './sim.js';

export interface RedfishFixture {
  url: string; // e.g. https://127.0.0.1:PORT (or http:// when insecureHttp)
  ca?: string; // PEM of the self-signed cert, when TLS (clients pass it as `ca`)
  admin: { user: string; password: string };
  /** Accounts created for tests, one per predefined role. */
  accounts: Record<'Administrator' | 'Operator' | 'ReadOnly', { user: string; password: string }>;
  /** Advances the simulated shelf (lockstep) by ms, so telemetry/events move. */
  advance(ms: number): Promise<void>;
  /** Fault injection on the simulated shelf (at least: fail one PSU, restore). */
  failPsu(index: number): Promise<void>;
  close(): Promise<void>;
  // ---- beyond the agreed seam (for the Redfish engineer's own tests) ----
  /** Clears the injected fault of PSU `index` (it restarts after its retry time). */
  restorePsu(index: number): Promise<void>;
  readonly gateway: SimGateway['gateway'];
  readonly sim: SimGateway['sim'];
  readonly service: RedfishService;
  /** The background pacer with `realTime: true` (its slip and slice counts), else undefined. */
  readonly pacer: RealTimePacer | undefined;
}

export interface RedfishFixtureOptions {
  insecureHttp?: boolean;
  /** A library scenario name (sim/scenarios/<name>.json) or a path to a scenario file. */
  scenario?: string;
  realTime?: boolean;
  /** Pacing of the shelf with `realTime` (defaults in src/simlink/real-time-pacer.ts). */
  pacer?: PacerOptions;
  /**
   * The gateway's 1 kHz PMBus poller on this thread (default true). A deployment with control
   * runs the fast lane in the control loop's worker instead, leaving the slow lane here.
   */
  fastLane?: boolean;
  /** Service options to override (limits, policies); gateway, host and port are the fixture's. */
  redfish?: Partial<Omit<RedfishServiceOptions, 'gateway' | 'host' | 'port'>>;
}

/** One constant-load HPR shelf with a quiet grid: telemetry moves, nothing else happens. */
function defaultScenario(): Scenario {
  return parseScenario({
    name: 'redfish-fixture',
    description: 'HPR shelf at 20 kW, quiet grid',
    durationS: 36_000,
    seed: 1,
    zone: { preset: 'orv3-hpr-33kw' },
    load: { kind: 'constant', watts: 20_000 },
    grid: { events: [] },
    criteria: {},
  });
}

function scenarioFrom(s: string | undefined): Scenario {
  if (s === undefined) return defaultScenario();
  const file = s.endsWith('.json') ? resolve(s) : resolve(REPO, 'sim/scenarios', `${s}.json`);
  return loadScenarioFile(file, { sharedDir: SHARED_DIR });
}

const secret = (): string => randomBytes(18).toString('base64url');

export async function startRedfishFixture(
  opts: RedfishFixtureOptions = {},
): Promise<RedfishFixture> {
  const real = new RealClock();
  const scenario = scenarioFrom(opts.scenario);
  const { sim, gateway } = createSimGateway(scenario, {
    ...(opts.realTime ? { epochOriginMs: real.epochMs() } : {}),
    // A 500 ms slow lane sees a PSU alarm within period + sweep (< 1 s on an HPR shelf).
    gateway: { slowPeriodMs: 500, ...(opts.fastLane === false ? { fastLane: false } : {}) },
  });
  let started = false;
  const starting = gateway.start().then(() => (started = true));
  while (!started) await lockstep(sim, 100);
  await starting;
  await lockstep(sim, 2000);

  const accounts = {
    Administrator: { user: 'admin', password: secret() },
    Operator: { user: 'operator', password: secret() },
    ReadOnly: { user: 'readonly', password: secret() },
  };
  const service = await startRedfishService({
    ...opts.redfish,
    gateway,
    host: '127.0.0.1',
    port: 0,
    insecureHttp: opts.insecureHttp ?? false,
    sensingIntervalMs: 500,
    ...(opts.realTime ? { clock: real } : {}),
    accounts: [
      ...(
        Object.entries(accounts) as [keyof typeof accounts, { user: string; password: string }][]
      ).map(([roleId, a]) => ({ user: a.user, password: a.password, roleId })),
      ...(opts.redfish?.accounts ?? []),
    ],
  });

  // Time: lockstep moves only when asked, or while a Redfish command waits on the bus.
  let advancing: Promise<void> = Promise.resolve();
  let pumping = false;
  let running = true;
  const step = (ms: number): Promise<void> => {
    const next = advancing.then(() => lockstep(sim, ms));
    advancing = next.catch(() => undefined);
    return next;
  };
  let pacer: RealTimePacer | undefined;
  if (opts.realTime) {
    pacer = new RealTimePacer(sim.clock, real, step, opts.pacer);
    pacer.start();
  } else {
    service.ctx.busy.onChange = (n) => {
      if (n === 0 || pumping) return;
      pumping = true;
      void (async () => {
        while (running && service.ctx.busy.pending > 0) await step(5);
        pumping = false;
      })();
    };
  }

  return {
    url: service.url,
    ...(service.certPem ? { ca: service.certPem } : {}),
    admin: accounts.Administrator,
    accounts,
    gateway,
    sim,
    service,
    pacer,
    advance: async (ms) => {
      if (opts.realTime) await real.sleep(ms);
      else await step(ms);
    },
    failPsu: async (index) => {
      const p = sim.devices.zone.psus[index];
      if (!p)
        throw new RangeError(`no PSU ${index} (the shelf has ${sim.devices.zone.psus.length})`);
      p.injectedFault = true;
    },
    restorePsu: async (index) => {
      const p = sim.devices.zone.psus[index];
      if (!p) throw new RangeError(`no PSU ${index}`);
      p.injectedFault = false;
    },
    close: async () => {
      running = false;
      await pacer?.stop();
      await service.close();
      const stopping = gateway.stop();
      await lockstep(sim, 50);
      await stopping;
    },
  };
}
