/**
 * Events from the simulated shelf, seen only through the gateway's own polling: an SSE client
 * receives Power.PowerSupplyFailed within 1 s of a PSU failure injected in the simulator
 * (simulated time: the shelf runs in lockstep and the latency is measured on its clock), and
 * a push subscription receives the same event by HTTP POST.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedfishFixture, type RedfishFixture } from '../../support/redfish-fixture.js';
import { SHARED_PRESENT } from '../../support/sim.js';
import { Client } from './client.js';

if (!SHARED_PRESENT) console.warn('redfish events: ../shared absent (DMTF registries); skipped');

interface Received {
  readonly id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Event payloads are read field by field.
  readonly data: any;
}

/** Opens the SSE stream and collects its records. */
function openSse(f: RedfishFixture): Promise<{ events: Received[]; close: () => void }> {
  const auth = 'Basic ' + Buffer.from(`${f.admin.user}:${f.admin.password}`).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request(
      `${f.url}/redfish/v1/EventService/SSE`,
      { headers: { Authorization: auth } },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) return reject(new Error(`SSE status ${res.statusCode}`));
        expect(res.headers['content-type']).toBe('text/event-stream');
        const events: Received[] = [];
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let end: number;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const record = buf.slice(0, end);
            buf = buf.slice(end + 2);
            const id = /^id: (.*)$/m.exec(record)?.[1];
            const data = /^data: (.*)$/m.exec(record)?.[1];
            if (id !== undefined && data !== undefined) events.push({ id, data: JSON.parse(data) });
          }
        });
        resolve({ events, close: () => req.destroy() });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
const named = (events: Received[], name: string) =>
  events.filter((e) => e.data.Events?.[0]?.MessageId?.endsWith(`.${name}`));

describe.skipIf(!SHARED_PRESENT)('Redfish events from the simulated shelf', () => {
  let f: RedfishFixture;
  let c: Client;
  let sink: Server;
  const posted: unknown[] = [];

  beforeAll(async () => {
    f = await startRedfishFixture({ insecureHttp: true });
    c = new Client(f);
    sink = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        posted.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    c.close();
    await new Promise<void>((r) => sink.close(() => r()));
    await f.close();
  });

  it('SSE: PowerSupplyFailed within 1 s (simulated) of a PSU failure, then a push POST of it', async () => {
    const port = (sink.address() as AddressInfo).port;
    const sub = await c.request('POST', '/redfish/v1/EventService/Subscriptions', {
      cred: f.admin,
      body: {
        Destination: `http://127.0.0.1:${port}/events`,
        Protocol: 'Redfish',
        Context: 'fleet-1',
        RegistryPrefixes: ['Power'],
      },
    });
    expect(sub.status).toBe(201);
    const sse = await openSse(f);
    const failedAt = f.sim.clock.epochMs();
    await f.failPsu(2);
    let seen: Received | undefined;
    for (let t = 0; t < 1000 && !seen; t += 50) {
      await f.advance(50);
      await flush();
      seen = named(sse.events, 'PowerSupplyFailed')[0];
    }
    expect(seen, 'no PowerSupplyFailed within 1 s of simulated time').toBeDefined();
    const ev = seen!.data.Events[0];
    expect(seen!.data['@odata.type']).toMatch(/^#Event\.v1_\d+_\d+\.Event$/);
    expect(ev.MessageId).toMatch(/^Power\.\d+\.\d+\.\d+\.PowerSupplyFailed$/);
    expect(ev.MessageArgs).toEqual(['PowerShelf1 PSU3']);
    expect(ev.OriginOfCondition['@odata.id']).toBe(
      '/redfish/v1/Chassis/PowerShelf1/PowerSubsystem/PowerSupplies/PSU3',
    );
    const latencyMs = Date.parse(ev.EventTimestamp) - failedAt;
    expect(latencyMs).toBeLessThanOrEqual(1000);
    // The PSU resource reports what the event said.
    const psu = await c.get(
      '/redfish/v1/Chassis/PowerShelf1/PowerSubsystem/PowerSupplies/PSU3',
      f.admin,
    );
    expect(psu.json.Status.Health).toBe('Critical');
    // The push subscriber got it too, with its Context.
    for (let i = 0; i < 50 && posted.length === 0; i++) await flush();
    const pushed = posted.find((p) =>
      (p as { Events: { MessageId: string }[] }).Events[0]!.MessageId.endsWith(
        '.PowerSupplyFailed',
      ),
    ) as { Context: string } | undefined;
    expect(pushed?.Context).toBe('fleet-1');
    // The EventLog lists it.
    const log = await c.get(
      '/redfish/v1/Managers/Gateway/LogServices/EventLog/Entries?$expand=.',
      f.admin,
    );
    expect(
      log.json.Members.some((m: { MessageId: string }) =>
        m.MessageId.endsWith('.PowerSupplyFailed'),
      ),
    ).toBe(true);
    sse.close();
  });

  it('SSE: PowerSupplyRestored once the fault clears and the PSU restarts', async () => {
    const sse = await openSse(f);
    await f.restorePsu(2);
    let seen: Received | undefined;
    for (let t = 0; t < 15_000 && !seen; t += 250) {
      await f.advance(250);
      await flush();
      seen = named(sse.events, 'PowerSupplyRestored')[0];
    }
    expect(seen).toBeDefined();
    sse.close();
  });

  it('SubmitTestEvent reaches an SSE client; Last-Event-ID replays what was missed', async () => {
    const r = await c.request(
      'POST',
      '/redfish/v1/EventService/Actions/EventService.SubmitTestEvent',
      { cred: f.admin, body: {} },
    );
    expect(r.status).toBe(204);
    const last = f.service.ctx.events.bus.since(0).at(-1)!;
    expect(last.message.MessageId).toMatch(/\.TestMessage$/);
    // Resume from the event before it: the stream starts with the test message.
    const auth = 'Basic ' + Buffer.from(`${f.admin.user}:${f.admin.password}`).toString('base64');
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${f.url}/redfish/v1/EventService/SSE`,
        { headers: { Authorization: auth, 'Last-Event-ID': String(last.id - 1) } },
        (res) => {
          res.setEncoding('utf8');
          res.once('data', (d: string) => {
            resolve(d);
            req.destroy();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(text).toMatch(new RegExp(`^id: ${last.id}\\n`));
  });
});
