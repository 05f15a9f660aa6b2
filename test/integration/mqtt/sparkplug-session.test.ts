/**
 * The edge node against a real mosquitto (MQTT 5): births, seq/bdSeq across a forced
 * disconnect, rebirth, commands (accepted, unauthorised, malformed), hints and broker auth.
 * A subscriber decodes every message with our codec. RealClock: mqtt.js timers are real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/clock/index.js';
import {
  EdgeNode,
  type EdgeNodeConfig,
  type EdgeNodeEvent,
} from '../../../src/north/mqtt/index.js';
import { encodePayload, type SpMetric } from '../../../src/north/mqtt/sparkplug/index.js';
import { skipWithoutMosquitto, startMosquitto, type Mosquitto } from '../../support/mosquitto.js';
import { LoggingSink, StaticShelf, TestHost, startProxy, waitFor } from './support.js';

const skip = skipWithoutMosquitto('MQTT Sparkplug session (mosquitto)');
const G = 'itest';

describe.skipIf(skip)('Sparkplug edge node on mosquitto', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.dispose();
  });

  function edge(node: string, url: string, extra: Partial<EdgeNodeConfig> = {}) {
    const sink = new LoggingSink();
    const events: EdgeNodeEvent[] = [];
    const en = new EdgeNode(
      {
        brokerUrl: url,
        groupId: G,
        edgeNodeId: node,
        publishPeriodMs: 50,
        reconnect: { minMs: 100, maxMs: 400 },
        authorisedCommands: ['Node Control/Power Cap W', 'Locate'],
        ...extra,
      },
      { clock: new RealClock(), source: new StaticShelf(), sink },
    );
    en.onEvent((e) => events.push(e));
    return { en, sink, events };
  }

  it('births: NBIRTH then one DBIRTH per device, names, aliases, types, units', async () => {
    const host = await TestHost.start(broker.url, G);
    const { en } = edge('births', broker.url);
    en.start();
    await waitFor('4 DBIRTHs', () => host.of('DBIRTH').length === 4);
    const mine = host.received.filter((r) => r.topic.split('/')[3] === 'births');
    expect(mine.map((r) => r.topic)).toEqual([
      `spBv1.0/${G}/NBIRTH/births`,
      `spBv1.0/${G}/DBIRTH/births/psu-1`,
      `spBv1.0/${G}/DBIRTH/births/psu-2`,
      `spBv1.0/${G}/DBIRTH/births/bbu-1`,
      `spBv1.0/${G}/DBIRTH/births/shelf-0`,
    ]);
    expect(mine.map((r) => r.payload.seq)).toEqual([0, 1, 2, 3, 4]);
    const nb = new Map(mine[0]!.payload.metrics.map((m) => [m.name, m]));
    expect(nb.get('bdSeq')).toMatchObject({ type: 'Int64', value: 0n });
    expect(nb.get('Node Control/Rebirth')).toMatchObject({ type: 'Boolean', value: false });
    expect(nb.get('Node Control/Rebirth')!.alias).toBeUndefined();
    expect(nb.get('Node Control/Power Cap W')!.properties?.get('engUnit')).toEqual({
      type: 'String',
      value: 'W',
    });
    const psu = mine[1]!.payload.metrics;
    expect(psu.map((m) => [m.name, m.type])).toEqual([
      ['Output/Power', 'Double'],
      ['Locate', 'Boolean'],
    ]);
    const aliases = mine
      .flatMap((r) => r.payload.metrics.map((m) => m.alias))
      .filter((a) => a !== undefined);
    expect(new Set(aliases).size).toBe(aliases.length);
    expect(host.undecodable).toEqual([]);
    await en.stop();
    const death = await waitFor('NDEATH', () =>
      host.of('NDEATH').find((r) => r.topic.endsWith('/births')),
    );
    expect(death.payload.metrics).toMatchObject([{ name: 'bdSeq', value: 0n }]);
    expect(death.payload.seq).toBeUndefined();
    await host.stop();
  });

  it('forced disconnect: will NDEATH with the session bdSeq, next NBIRTH bdSeq+1, seq from 0', async () => {
    const host = await TestHost.start(broker.url, G);
    const proxy = await startProxy(broker.port);
    const { en } = edge('cut', `mqtt://127.0.0.1:${proxy.port}`, { keepaliveS: 5 });
    en.start();
    const mine = () => host.received.filter((r) => r.topic.split('/')[3] === 'cut');
    await waitFor('births', () => mine().filter((r) => r.type === 'DBIRTH').length === 4);
    proxy.cut();
    // mosquitto sees the socket close without DISCONNECT and publishes the will at once.
    const will = await waitFor('will', () => mine().find((r) => r.type === 'NDEATH'));
    expect(will.payload.metrics).toMatchObject([{ name: 'bdSeq', type: 'Int64', value: 0n }]);
    await waitFor('rebirth', () => mine().filter((r) => r.type === 'NBIRTH').length === 2);
    const births = mine().filter((r) => r.type === 'NBIRTH');
    expect(births.map((b) => b.payload.metrics.find((m) => m.name === 'bdSeq')!.value)).toEqual([
      0n,
      1n,
    ]);
    expect(births[1]!.payload.seq).toBe(0);
    // Within each session seq runs 0,1,2,… with no gap.
    const sessions: number[][] = [];
    for (const r of mine()) {
      if (r.type === 'NDEATH') continue;
      if (r.type === 'NBIRTH') sessions.push([]);
      sessions.at(-1)!.push(r.payload.seq!);
    }
    for (const s of sessions) expect(s).toEqual(s.map((_, i) => i % 256));
    expect(en.stats().connects).toBe(2);
    await en.stop();
    await proxy.close();
    await host.stop();
  });

  it('NCMD Rebirth, power cap (echoed), locate DCMD; unauthorised and malformed are counted', async () => {
    const host = await TestHost.start(broker.url, G);
    const { en, sink, events } = edge('cmd', broker.url);
    en.start();
    const mine = () => host.received.filter((r) => r.topic.split('/')[3] === 'cmd');
    await waitFor('births', () => mine().filter((r) => r.type === 'DBIRTH').length === 4);
    const nbirth = mine()[0]!.payload;
    const alias = (name: string) => nbirth.metrics.find((m) => m.name === name)!.alias;
    const ncmd = `spBv1.0/${G}/NCMD/cmd`;
    const cmd = (...metrics: SpMetric[]) =>
      encodePayload({ timestamp: Date.now(), metrics }, { messageType: 'NCMD' });

    await host.publish(ncmd, cmd({ name: 'Node Control/Rebirth', type: 'Boolean', value: true }));
    await waitFor('rebirth', () => mine().filter((r) => r.type === 'NBIRTH').length === 2);
    const second = mine().filter((r) => r.type === 'NBIRTH')[1]!.payload;
    expect(second.seq).toBe(0);
    expect(second.metrics.find((m) => m.name === 'bdSeq')!.value).toBe(0n);

    await host.publish(
      ncmd,
      cmd({
        name: 'Node Control/Power Cap W',
        alias: alias('Node Control/Power Cap W'),
        type: 'Double',
        value: 18_000,
      }),
    );
    const echo = await waitFor('cap echo', () =>
      mine()
        .filter((r) => r.type === 'NDATA')
        .flatMap((r) => r.payload.metrics)
        .find((m) => m.alias === alias('Node Control/Power Cap W')),
    );
    expect(echo.value).toBe(18_000);
    expect(sink.calls).toContain('cap 18000');
    await waitFor('result', () =>
      mine()
        .filter((r) => r.type === 'NDATA')
        .flatMap((r) => r.payload.metrics)
        .find(
          (m) =>
            m.alias === alias('Last Command/Result') &&
            m.value === 'NCMD Node Control/Power Cap W=18000: ok',
        ),
    );

    await host.publish(
      `spBv1.0/${G}/DCMD/cmd/psu-2`,
      cmd({ name: 'Locate', type: 'Boolean', value: true }),
    );
    await waitFor('locate', () => sink.calls.includes('locate psu-2 true'));
    const locateEcho = await waitFor('locate echo', () =>
      mine().find((r) => r.type === 'DDATA' && r.deviceId === 'psu-2'),
    );
    expect(locateEcho.payload.metrics[0]!.value).toBe(true);

    // Not authorised (Self Test is not in authorisedCommands), wrong type, garbage bytes.
    await host.publish(
      `spBv1.0/${G}/DCMD/cmd/bbu-1`,
      cmd({ name: 'Self Test', type: 'Boolean', value: true }),
    );
    await host.publish(
      ncmd,
      cmd({ name: 'Node Control/Power Cap W', type: 'String', value: '9000' }),
    );
    await host.publish(ncmd, Uint8Array.of(0x0a, 0x05, 0xff));
    await host.publish(`spBv1.0/${G}/DCMD/cmd/psu-1`, Buffer.from('{"Locate": true}'));
    await waitFor('4 rejections', () => en.stats().commandsRejected === 4);
    expect(en.stats().commandsMalformed).toBe(3);
    expect(sink.calls.some((c) => c.startsWith('selftest'))).toBe(false);
    const rejected = await waitFor('Commands/Rejected = 4', () =>
      mine()
        .filter((r) => r.type === 'NDATA')
        .flatMap((r) => r.payload.metrics)
        .find((m) => m.alias === alias('Commands/Rejected') && m.value === 4n),
    );
    expect(rejected.type).toBe('UInt64');
    expect(
      events
        .filter((e) => e.type === 'command' && !e.ok)
        .map((e) => e.type === 'command' && e.what),
    ).toEqual(['DCMD bbu-1 Self Test', 'NCMD Node Control/Power Cap W', 'NCMD *', 'DCMD psu-1 *']);
    expect(en.state).toBe('online');
    await en.stop();
    await host.stop();
  });

  it('workload hints on orv3gw/<group>/<node>/hint reach the sink', async () => {
    const host = await TestHost.start(broker.url, G);
    const { en, sink } = edge('hints', broker.url);
    en.start();
    await waitFor('online', () => en.state === 'online');
    await host.publish(
      `orv3gw/${G}/hints/hint`,
      JSON.stringify({ deltaW: 12_000, leadMs: 1500, durationMs: 60_000, source: 'slurm' }),
    );
    await host.publish(`orv3gw/${G}/hints/hint`, '{"deltaW": "soon"}');
    await waitFor('hints', () => en.stats().hintsAccepted + en.stats().hintsRejected === 2);
    expect(sink.hints).toMatchObject([
      { deltaW: 12_000, leadMs: 1500, durationMs: 60_000, source: 'slurm' },
    ]);
    expect(en.stats().hintsRejected).toBe(1);
    await en.stop();
    await host.stop();
  });
});

describe.skipIf(skip)('broker authentication', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto({ users: [{ username: 'rack7', password: 'c0rrect-horse' }] });
  });
  afterAll(async () => {
    await broker?.dispose();
  });

  it('connects with the right password; a wrong one fails without the password in any message', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, c?: object) => lines.push(m + JSON.stringify(c ?? {})),
      info: (m: string, c?: object) => lines.push(m + JSON.stringify(c ?? {})),
      warn: (m: string, c?: object) => lines.push(m + JSON.stringify(c ?? {})),
      error: (m: string, c?: object) => lines.push(m + JSON.stringify(c ?? {})),
    };
    const mk = (password: string) =>
      new EdgeNode(
        {
          brokerUrl: broker.url,
          username: 'rack7',
          password,
          groupId: G,
          edgeNodeId: 'auth',
          publishPeriodMs: 100,
          reconnect: { minMs: 100, maxMs: 100 },
        },
        { clock: new RealClock(), source: new StaticShelf(), sink: new LoggingSink(), logger },
      );
    const bad = mk('wr0ng-pass');
    const failures: string[] = [];
    bad.onEvent((e) => e.type === 'connect-failed' && failures.push(e.reason));
    bad.start();
    await waitFor('refused', () => failures.length > 0);
    await bad.stop();
    expect(failures[0]).toMatch(/Bad User Name or Password|Not authorized/i);
    const good = mk('c0rrect-horse');
    good.start();
    await waitFor('online', () => good.state === 'online');
    await good.stop();
    const all = [...lines, ...failures].join('\n');
    expect(all).not.toContain('wr0ng-pass');
    expect(all).not.toContain('c0rrect-horse');
  });
});
