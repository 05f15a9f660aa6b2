/**
 * The Manager shows the real 1 kHz control loop: the gateway on the simulated HPR shelf with
 * its loop in lockstep (LoopDriver, as `orv3gw run --sim` runs it), a 0 p.u. sag at 2 s, then a
 * dead PMBus segment. The Manager's `Oem.Orv3Gateway.ControlLoop` follows the loop's mode and
 * counters, its health turns Warning when the loop falls back to autonomous, each mode change
 * is an event about the Manager (pushed to a subscriber that asked for Manager events only),
 * and the payloads validate against the DMTF schemas.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedfishService, type RedfishService } from '../../../src/north/redfish/index.js';
import { createSimGateway, LoopDriver, type SimGateway } from '../../../src/simlink/index.js';
import {
  RedfishSchemaValidator,
  schemasAvailable,
} from '../../conformance/support/schema-validator.js';
import { libraryScenario, SHARED_PRESENT } from '../../support/sim.js';
import { Client } from './client.js';

if (!SHARED_PRESENT) console.warn('redfish control loop: ../shared absent; skipped');
const HAVE_SCHEMAS = SHARED_PRESENT && schemasAvailable();

const MANAGER = '/redfish/v1/Managers/Gateway';
/** The scenario's sag: 0 p.u. at 2 s for 150 ms. */
const SAG_AT_MS = 2000;

interface Pushed {
  readonly Events: { MessageId: string; Oem?: unknown; OriginOfCondition?: unknown }[];
}

describe.skipIf(!SHARED_PRESENT)('Redfish Manager with the control loop running', () => {
  let sg: SimGateway;
  let driver: LoopDriver;
  let svc: RedfishService;
  let c: Client;
  let sink: Server;
  const pushed: Pushed[] = [];
  const admin = { user: 'admin', password: randomBytes(18).toString('base64url') };
  const validator = HAVE_SCHEMAS ? new RedfishSchemaValidator() : undefined;

  const manager = async () => {
    const r = await c.get(MANAGER, admin);
    expect(r.status).toBe(200);
    if (validator) expect(validator.validate(r.json).errors).toEqual([]);
    return r.json;
  };
  /** Mode names of the mode-change events published so far (the service's event history). */
  const modeEvents = () =>
    svc.ctx.events.bus
      .since(0)
      .filter((e) => e.resourceType === 'Manager')
      .map((e) => `${e.message.MessageId.replace(/^.*\./, '')} ${modeOf(e.oem)}`);
  const modeOf = (oem: unknown): string =>
    (oem as { Orv3Gateway?: { ControlLoop?: { Mode?: string } } } | undefined)?.Orv3Gateway
      ?.ControlLoop?.Mode ?? '-';
  /** Push delivery is real HTTP: wait (bounded) until `n` POSTs arrived. */
  const received = async (n: number): Promise<void> => {
    for (let i = 0; i < 300 && pushed.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  };

  beforeAll(async () => {
    const scenario = libraryScenario('sag-0pu-150ms-at-80pct');
    sg = createSimGateway(scenario, { inventory: true, gateway: { fastLane: false } });
    driver = new LoopDriver(sg, { control: { nominalVac: scenario.grid.nominalVac } });
    expect(await driver.start(SAG_AT_MS)).toBe(true);
    svc = await startRedfishService({
      gateway: sg.gateway,
      host: '127.0.0.1',
      port: 0,
      insecureHttp: true,
      // Simulated time stands still between two advances: every GET must be served afresh.
      cacheTtlMs: 0,
      accounts: [{ ...admin, roleId: 'Administrator' }],
    });
    c = new Client({ url: svc.url });
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        pushed.push(JSON.parse(body) as Pushed);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  }, 120_000);

  afterAll(async () => {
    c?.close();
    await svc?.close();
    await driver?.stop();
    await new Promise<void>((r) => (sink ? sink.close(() => r()) : r()));
  });

  it('before the first tick: Autonomous with zero ticks, health Warning', async () => {
    // Discovery ended well before the sag, leaving the watchdog time to arm.
    expect(sg.sim.clock.nowMs()).toBeLessThan(SAG_AT_MS - 500);
    const m = await manager();
    expect(m.Oem.Orv3Gateway.ControlLoop).toEqual({
      Mode: 'Autonomous',
      Ticks: 0,
      Overruns: 0,
      ThrottleRequested: false,
    });
    expect(m.Status).toEqual({ State: 'Enabled', Health: 'Warning' });
    const sub = await c.request('POST', '/redfish/v1/EventService/Subscriptions', {
      cred: admin,
      body: {
        Destination: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/events`,
        Protocol: 'Redfish',
        ResourceTypes: ['Manager'],
      },
    });
    expect(sub.status).toBe(201);
  });

  it('armed: Normal, the loop’s own counters, health OK', async () => {
    await driver.advanceTo(SAG_AT_MS - 100);
    const loop = driver.loop!;
    expect(loop.mode).toBe('normal');
    const m = await manager();
    // Time stands still between advances, so the counters are the loop's exactly.
    expect(m.Oem.Orv3Gateway.ControlLoop).toEqual({
      Mode: 'Normal',
      Ticks: loop.stats.ticks,
      Overruns: loop.stats.overruns,
      ThrottleRequested: loop.throttleRequested,
    });
    expect(m.Oem.Orv3Gateway.ControlLoop.Ticks).toBeGreaterThan(50);
    expect(m.Status.Health).toBe('OK');
    expect(modeEvents()).toEqual(['ResourceStatusChangedOK Normal']);
    // An event about no resource, which the Manager-only subscriber must not get.
    const test = await c.request(
      'POST',
      '/redfish/v1/EventService/Actions/EventService.SubmitTestEvent',
      { cred: admin, body: {} },
    );
    expect(test.status).toBeLessThan(300);
    expect(svc.ctx.events.bus.since(0).at(-1)!.message.MessageId).toMatch(/\.TestMessage$/);
  });

  it('rides through the sag: Ride, then Recover and back to Normal, each an event', async () => {
    await driver.advanceTo(SAG_AT_MS + 100);
    expect((await manager()).Oem.Orv3Gateway.ControlLoop.Mode).toBe('Ride');
    await driver.advanceTo(SAG_AT_MS + 2000);
    const m = await manager();
    expect(m.Oem.Orv3Gateway.ControlLoop.Mode).toBe('Normal');
    expect(m.Status.Health).toBe('OK');
    expect(modeEvents()).toEqual([
      'ResourceStatusChangedOK Normal',
      'ResourceChanged Ride',
      'ResourceChanged Recover',
      'ResourceChanged Normal',
    ]);
    // The push subscriber (since before arming) asked for Manager events only: it got each mode
    // change in order, Oem included, and not the test event sent between the first two.
    await received(4);
    expect(pushed.map((p) => p.Events[0]!.MessageId.replace(/^.*\./, ''))).toEqual([
      'ResourceStatusChangedOK',
      'ResourceChanged',
      'ResourceChanged',
      'ResourceChanged',
    ]);
    expect(pushed.map((p) => modeOf(p.Events[0]!.Oem))).toEqual([
      'Normal',
      'Ride',
      'Recover',
      'Normal',
    ]);
    for (const p of pushed)
      expect(p.Events[0]!.OriginOfCondition).toEqual({ '@odata.id': MANAGER });
  });

  it('a dead PMBus segment: Autonomous, health Warning, ResourceStatusChangedWarning', async () => {
    for (let a = 0x40; a < 0x64; a++) sg.deadPmbus[0]!.add(a);
    await driver.advanceTo(sg.sim.clock.nowMs() + 100);
    const m = await manager();
    expect(m.Oem.Orv3Gateway.ControlLoop.Mode).toBe('Autonomous');
    expect(m.Oem.Orv3Gateway.ControlLoop.Ticks).toBe(driver.loop!.stats.ticks);
    expect(m.Status.Health).toBe('Warning');
    const last = svc.ctx.events.bus.since(0).at(-1)!;
    expect(modeEvents().at(-1)).toBe('ResourceStatusChangedWarning Autonomous');
    expect(last.message.MessageArgs).toEqual(['Gateway', 'Warning']);
    // The event log keeps it, Oem included, as a valid LogEntry.
    const entry = await c.get(`${MANAGER}/LogServices/EventLog/Entries/${last.id}`, admin);
    expect(entry.status).toBe(200);
    expect(entry.json.Oem).toEqual({
      Orv3Gateway: { ControlLoop: { Mode: 'Autonomous', PreviousMode: 'Normal' } },
    });
    expect(entry.json.Links.OriginOfCondition).toEqual({ '@odata.id': MANAGER });
    if (validator) expect(validator.validate(entry.json).errors).toEqual([]);
  });

  it.skipIf(!HAVE_SCHEMAS)('the Manager payload validates against the Manager schema', async () => {
    const v = validator!.validate(await manager());
    expect(v.ok).toBe(true);
    expect(v.schema).toMatch(/^Manager\.v1_24_\d+\.json#/);
  });
});
