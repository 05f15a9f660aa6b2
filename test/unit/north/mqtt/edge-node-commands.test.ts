import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { EdgeNode, type EdgeNodeConfig } from '../../../../src/north/mqtt/index.js';
import { encodePayload, type SpMetric } from '../../../../src/north/mqtt/sparkplug/index.js';
import { FakeBroker, settle } from './fake-broker.js';
import { MemoryStore, RecordingSink, ScriptedSource, decode, typeOf } from './helpers.js';

const base: EdgeNodeConfig = {
  brokerUrl: 'mqtt://127.0.0.1:1883',
  groupId: 'site1',
  edgeNodeId: 'rack7',
  publishPeriodMs: 100,
  reconnect: { minMs: 500, maxMs: 500 },
  authorisedCommands: ['Node Control/Power Cap W', 'Locate', 'Self Test'],
  powerCapLimitsW: { min: 1000, max: 50_000 },
};

async function rig(extra: Partial<EdgeNodeConfig> = {}) {
  const clock = new VirtualClock();
  const broker = new FakeBroker();
  const source = new ScriptedSource(clock);
  const sink = new RecordingSink();
  const node = new EdgeNode(
    { ...base, ...extra },
    { clock, source, sink, transport: broker, random: () => 0.5 },
  );
  node.start();
  await settle();
  return { clock, broker, source, sink, node };
}

const cmd = (...metrics: SpMetric[]) => encodePayload({ timestamp: 1, metrics });
const NCMD = 'spBv1.0/site1/NCMD/rack7';
const DCMD = (d: string) => `spBv1.0/site1/DCMD/rack7/${d}`;

/** Value of a node metric in the last NDATA that carried it, resolved through the NBIRTH alias. */
function lastNodeValue(b: FakeBroker, name: string): unknown {
  const birth = decode(b.published('spBv1.0/site1/NBIRTH').at(-1)!.payload);
  const alias = birth.metrics.find((m) => m.name === name)!.alias;
  for (const m of b.published('spBv1.0/site1/NDATA').reverse()) {
    const hit = decode(m.payload).metrics.find((x) => x.alias === alias);
    if (hit) return hit.value;
  }
  return undefined;
}

describe('EdgeNode commands', () => {
  it('NCMD Rebirth (by name, no alias) republishes every birth with seq 0 and the same bdSeq', async () => {
    const { broker, node } = await rig();
    broker.inject(NCMD, cmd({ name: 'Node Control/Rebirth', type: 'Boolean', value: true }));
    await settle();
    const kinds = broker.published('spBv1.0/').map((m) => typeOf(m.topic));
    expect(kinds).toEqual([
      'NBIRTH',
      'DBIRTH',
      'DBIRTH',
      'DBIRTH',
      'NBIRTH',
      'DBIRTH',
      'DBIRTH',
      'DBIRTH',
    ]);
    const b2 = decode(broker.published('spBv1.0/site1/NBIRTH')[1]!.payload);
    expect(b2.seq).toBe(0);
    expect(b2.metrics.find((m) => m.name === 'bdSeq')!.value).toBe(0n);
    await node.stop();
  });

  it('power cap NCMD reaches the sink and is echoed with Last Command/Result in the next NDATA', async () => {
    const { broker, clock, sink, node } = await rig();
    broker.inject(NCMD, cmd({ name: 'Node Control/Power Cap W', type: 'Double', value: 12_000 }));
    await settle();
    expect(sink.calls).toEqual(['cap 12000']);
    await clock.advanceAsync(100);
    expect(lastNodeValue(broker, 'Node Control/Power Cap W')).toBe(12_000);
    expect(lastNodeValue(broker, 'Last Command/Result')).toBe(
      'NCMD Node Control/Power Cap W=12000: ok',
    );
    expect(lastNodeValue(broker, 'Commands/Accepted')).toBe(1n);
    // null clears the cap; the command may address the metric by its alias
    const alias = decode(broker.published('spBv1.0/site1/NBIRTH')[0]!.payload).metrics.find(
      (m) => m.name === 'Node Control/Power Cap W',
    )!.alias!;
    broker.inject(NCMD, cmd({ alias, type: 'Double', value: null }));
    await settle();
    await clock.advanceAsync(100);
    expect(sink.calls).toEqual(['cap 12000', 'cap null']);
    expect(lastNodeValue(broker, 'Node Control/Power Cap W')).toBeNull();
    await node.stop();
  });

  it('locate DCMD on a PSU and self test on a BBU; Self Test reads true once, then false', async () => {
    const { broker, clock, sink, node } = await rig();
    broker.inject(DCMD('psu-1'), cmd({ name: 'Locate', type: 'Boolean', value: true }));
    broker.inject(DCMD('bbu-1'), cmd({ name: 'Self Test', type: 'Boolean', value: true }));
    await settle();
    expect(sink.calls).toEqual(['locate psu-1 true', 'selftest bbu-1']);
    await clock.advanceAsync(100);
    await clock.advanceAsync(100);
    const bbu = broker
      .published('spBv1.0/site1/DDATA/rack7/bbu-1')
      .map((m) => decode(m.payload).metrics[0]!.value);
    expect(bbu).toEqual([true, false]);
    const psu = broker
      .published('spBv1.0/site1/DDATA/rack7/psu-1')
      .map((m) => decode(m.payload).metrics[0]!.value);
    expect(psu).toEqual([true]);
    expect(node.stats().commandsAccepted).toBe(2);
    await node.stop();
  });

  it('rejects and counts unauthorised, out-of-range, wrong-type, unknown and malformed commands', async () => {
    const { broker, clock, sink, node } = await rig({ authorisedCommands: ['Locate'] });
    const reasons: string[] = [];
    node.onEvent((e) => {
      if (e.type === 'command' && !e.ok) reasons.push(`${e.what}: ${e.reason}`);
    });
    broker.inject(NCMD, cmd({ name: 'Node Control/Power Cap W', type: 'Double', value: 5000 }));
    broker.inject(NCMD, cmd({ name: 'Node Control/Rebirth', type: 'String', value: 'yes' }));
    broker.inject(NCMD, cmd({ name: 'Uptime', type: 'Int64', value: 1n }));
    broker.inject(NCMD, new Uint8Array([0x12, 0xff, 0x01]));
    broker.inject(DCMD('psu-9'), cmd({ name: 'Locate', type: 'Boolean', value: true }));
    broker.inject(DCMD('psu-1'), cmd({ name: 'Locate', type: 'Double', value: 1 }));
    broker.inject(DCMD('bbu-1'), cmd({ name: 'Locate', type: 'Boolean', value: true }));
    await settle();
    expect(sink.calls).toEqual([]);
    expect(reasons).toEqual([
      'NCMD Node Control/Power Cap W: not authorised by configuration',
      'NCMD Node Control/Rebirth: Node Control/Rebirth must be Boolean, got String',
      'NCMD Uptime: unknown or read-only metric Uptime',
      expect.stringMatching(/^NCMD \*: malformed payload: /),
      'DCMD psu-9 *: unknown device psu-9',
      'DCMD psu-1 Locate: Locate must be Boolean, got Double',
      'DCMD bbu-1 Locate: unknown or read-only metric Locate on a bbu',
    ]);
    const s = node.stats();
    expect([s.commandsRejected, s.commandsMalformed, s.commandsAccepted]).toEqual([7, 3, 0]);
    await clock.advanceAsync(100);
    expect(lastNodeValue(broker, 'Commands/Rejected')).toBe(7n);
    expect(lastNodeValue(broker, 'Commands/Malformed')).toBe(3n);
    expect(node.state).toBe('online');
    await node.stop();
  });

  it('power cap outside the configured range, and a sink refusal, are rejections', async () => {
    const { broker, sink, node } = await rig();
    broker.inject(NCMD, cmd({ name: 'Node Control/Power Cap W', type: 'Double', value: 999 }));
    sink.answer = { ok: false, reason: 'cap below shelf minimum' };
    broker.inject(NCMD, cmd({ name: 'Node Control/Power Cap W', type: 'Double', value: 2000 }));
    await settle();
    expect(sink.calls).toEqual(['cap 2000']);
    expect(node.stats().commandsRejected).toBe(2);
    await node.stop();
  });
});

describe('EdgeNode workload hints', () => {
  it('hands valid hints to the sink and counts rejected ones', async () => {
    const { broker, sink, node } = await rig();
    broker.inject(
      'orv3gw/site1/rack7/hint',
      JSON.stringify({ deltaW: 8000, leadMs: 2000, source: 'slurm' }),
    );
    broker.inject(
      'orv3gw/site1/rack7/hint',
      JSON.stringify({ deltaW: 'lots', leadMs: 2000, source: 'x' }),
    );
    await settle();
    expect(sink.hints).toEqual([
      { deltaW: 8000, leadMs: 2000, source: 'slurm', receivedAtMs: expect.any(Number) },
    ]);
    expect([node.stats().hintsAccepted, node.stats().hintsRejected]).toEqual([1, 1]);
    await node.stop();
  });
});

describe('EdgeNode primary host awareness', () => {
  const STATE = 'spBv1.0/STATE/scada1';
  const state = (online: boolean, timestamp: number) => JSON.stringify({ online, timestamp });

  it('waits for STATE online before births; stores meanwhile; NDEATH + reconnect on offline', async () => {
    const clock = new VirtualClock();
    const broker = new FakeBroker();
    const source = new ScriptedSource(clock);
    const store = new MemoryStore();
    const node = new EdgeNode(
      { ...base, primaryHostId: 'scada1', store },
      { clock, source, sink: new RecordingSink(), transport: broker, random: () => 0.5 },
    );
    node.start();
    await settle();
    expect(node.state).toBe('waiting-host');
    source.set('psu-1', 1);
    await clock.advanceAsync(100);
    expect(broker.published('spBv1.0/site1/')).toHaveLength(0);
    // Nothing was reported yet, so the first read is news for the node and all three devices.
    expect(store.records).toHaveLength(4);
    broker.inject(STATE, state(true, 1000), true);
    await settle(50);
    expect(node.state).toBe('online');
    expect(store.records).toHaveLength(0);
    // A stale offline (older than the online we accepted) is ignored.
    broker.inject(STATE, state(false, 999), true);
    await settle();
    expect(node.state).toBe('online');
    broker.inject(STATE, state(false, 2000), true);
    await settle(50);
    const deaths = broker.published('spBv1.0/site1/NDEATH/rack7');
    expect(deaths).toHaveLength(1);
    expect(decode(deaths[0]!.payload).metrics[0]!.value).toBe(0n);
    await clock.advanceAsync(600, 10);
    await settle();
    // Reconnected with bdSeq 1, retained STATE says offline: waiting, no births.
    expect(node.state).toBe('waiting-host');
    expect(decode(broker.connects.at(-1)!.will.payload).metrics[0]!.value).toBe(1n);
    broker.inject(STATE, state(true, 3000), true);
    await settle(50);
    expect(node.state).toBe('online');
    const births = broker.published('spBv1.0/site1/NBIRTH/rack7');
    expect(
      births.map((b) => decode(b.payload).metrics.find((m) => m.name === 'bdSeq')!.value),
    ).toEqual([0n, 1n]);
    await node.stop();
  });
});
