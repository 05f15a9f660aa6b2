import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { EdgeNode, type EdgeNodeConfig } from '../../../../src/north/mqtt/index.js';
import { FakeBroker, settle } from './fake-broker.js';
import { RecordingSink, ScriptedSource, decode, typeOf } from './helpers.js';

const base: EdgeNodeConfig = {
  brokerUrl: 'mqtt://127.0.0.1:1883',
  groupId: 'site1',
  edgeNodeId: 'rack7',
  publishPeriodMs: 100,
  reconnect: { minMs: 500, maxMs: 500 },
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

const sparkplug = (b: FakeBroker) => b.published('spBv1.0/');

describe('EdgeNode births', () => {
  it('publishes NBIRTH (seq 0, bdSeq, Rebirth without alias) then one DBIRTH per device', async () => {
    const { broker, node } = await rig();
    expect(node.state).toBe('online');
    const msgs = sparkplug(broker);
    expect(msgs.map((m) => m.topic)).toEqual([
      'spBv1.0/site1/NBIRTH/rack7',
      'spBv1.0/site1/DBIRTH/rack7/psu-1',
      'spBv1.0/site1/DBIRTH/rack7/bbu-1',
      'spBv1.0/site1/DBIRTH/rack7/shelf-0',
    ]);
    const nbirth = decode(msgs[0]!.payload);
    expect(nbirth.seq).toBe(0);
    const byName = new Map(nbirth.metrics.map((m) => [m.name, m]));
    expect(byName.get('bdSeq')).toMatchObject({ type: 'Int64', value: 0n });
    expect(byName.get('bdSeq')!.alias).toBeUndefined();
    const rebirth = byName.get('Node Control/Rebirth')!;
    expect(rebirth).toMatchObject({ type: 'Boolean', value: false });
    expect(rebirth.alias).toBeUndefined();
    expect(rebirth.properties?.get('readOnly')).toEqual({ type: 'Boolean', value: false });
    expect(byName.get('Node Control/Power Cap W')).toMatchObject({ type: 'Double', value: null });
    expect(byName.get('Commands/Rejected')).toMatchObject({ type: 'UInt64', value: 0n });
    expect(msgs.slice(1).map((m) => decode(m.payload).seq)).toEqual([1, 2, 3]);
    const psu = decode(msgs[1]!.payload).metrics;
    expect(psu.map((m) => m.name)).toEqual(['Output/Power', 'Locate']);
    expect(psu[0]!.properties?.get('engUnit')).toEqual({ type: 'String', value: 'W' });
    const bbu = decode(msgs[2]!.payload).metrics;
    expect(bbu.map((m) => m.name)).toEqual(['Output/Power', 'Self Test']);
    // Aliases unique across the edge node, both births.
    const aliases = msgs
      .flatMap((m) => decode(m.payload).metrics.map((x) => x.alias))
      .filter((a) => a !== undefined);
    expect(new Set(aliases).size).toBe(aliases.length);
    // Births and data at QoS 0 without a store (spec), the will at QoS 1 holds the same bdSeq.
    expect(msgs.every((m) => m.qos === 0 && !m.retain)).toBe(true);
    const will = broker.connects[0]!.will;
    expect(will.topic).toBe('spBv1.0/site1/NDEATH/rack7');
    const death = decode(will.payload);
    expect(death.seq).toBeUndefined();
    expect(death.metrics).toMatchObject([{ name: 'bdSeq', type: 'Int64', value: 0n }]);
    await node.stop();
  });

  it('reports by exception with aliases, continuing seq and wrapping 255 → 0', async () => {
    const { broker, clock, source, node } = await rig();
    source.set('psu-1', 1);
    await clock.advanceAsync(100);
    let data = sparkplug(broker).filter((m) => typeOf(m.topic) === 'DDATA');
    // Only psu-1 changed (its timestamp moves every read, but equal values are not news).
    expect(data.map((m) => m.topic)).toEqual(['spBv1.0/site1/DDATA/rack7/psu-1']);
    const dd = decode(data[0]!.payload);
    expect(dd.seq).toBe(4);
    expect(dd.metrics).toHaveLength(1);
    expect(dd.metrics[0]!.name).toBeUndefined();
    expect(dd.metrics[0]!.alias).toBeDefined();
    expect(dd.metrics[0]!.isHistorical).toBeUndefined();
    for (let i = 2; i < 300; i++) {
      source.set('psu-1', i);
      await clock.advanceAsync(100);
    }
    const seqs = sparkplug(broker).map((m) => decode(m.payload).seq!);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1]! + 1) % 256);
    expect(seqs).toContain(255);
    data = sparkplug(broker).filter((m) => typeOf(m.topic) === 'DDATA');
    expect(data).toHaveLength(299);
    await node.stop();
  });

  it('DDEATH when a device goes offline, DBIRTH when it returns', async () => {
    const { broker, clock, source, node } = await rig();
    source.online.set('bbu-1', false);
    await clock.advanceAsync(100);
    source.online.set('bbu-1', true);
    await clock.advanceAsync(100);
    const tail = sparkplug(broker).slice(4);
    expect(tail.map((m) => typeOf(m.topic) + ' ' + m.topic.split('/')[4])).toEqual([
      'DDEATH bbu-1',
      'DBIRTH bbu-1',
    ]);
    expect(tail.map((m) => decode(m.payload).seq)).toEqual([4, 5]);
    await node.stop();
  });

  it('a node metric the NBIRTH lacked triggers a full rebirth with the same bdSeq', async () => {
    const { broker, clock, source, node } = await rig();
    source.extraNode.push({ name: 'Bus/Errors', type: 'UInt32', value: 0, timestampMs: 0 });
    await clock.advanceAsync(100);
    const births = sparkplug(broker).filter((m) => typeOf(m.topic) === 'NBIRTH');
    expect(births).toHaveLength(2);
    const second = decode(births[1]!.payload);
    expect(second.seq).toBe(0);
    expect(second.metrics.find((m) => m.name === 'bdSeq')!.value).toBe(0n);
    expect(second.metrics.some((m) => m.name === 'Bus/Errors')).toBe(true);
    expect(node.stats().rebirths).toBe(1);
    await node.stop();
  });

  it('a failing source skips the period (no DDEATH storm); a throwing listener is contained', async () => {
    const { broker, clock, source, node } = await rig();
    node.onEvent(() => {
      throw new Error('listener bug');
    });
    const devices = source.devices.bind(source);
    source.devices = () => {
      throw new Error('poller gone');
    };
    await clock.advanceAsync(300);
    expect(broker.published('spBv1.0/').map((m) => typeOf(m.topic))).not.toContain('DDEATH');
    source.devices = devices;
    source.set('psu-1', 4);
    await clock.advanceAsync(100);
    expect(typeOf(broker.log.at(-1)!.topic)).toBe('DDATA');
    await node.stop();
    expect(node.state).toBe('stopped');
  });

  it('values the wire cannot carry become null; a device id it cannot carry costs no seq', async () => {
    const clock = new VirtualClock({ startMs: 0.25 });
    const broker = new FakeBroker();
    const source = new ScriptedSource(clock, [
      { id: 'psu-1', kind: 'psu' },
      { id: 'bad/id', kind: 'psu' },
    ]);
    source.extraNode.push(
      { name: 'Bus/Errors', type: 'Int32', value: 3e9, timestampMs: 0 },
      { name: 'Note', type: 'String', value: 'half \uD800 pair', timestampMs: 0 },
    );
    const node = new EdgeNode(base, {
      clock,
      source,
      sink: new RecordingSink(),
      transport: broker,
    });
    node.start();
    await settle();
    const msgs = sparkplug(broker);
    expect(msgs.map((m) => typeOf(m.topic))).toEqual(['NBIRTH', 'DBIRTH']);
    expect(msgs.map((m) => decode(m.payload).seq)).toEqual([0, 1]);
    const nb = decode(msgs[0]!.payload).metrics;
    expect(nb.find((m) => m.name === 'Bus/Errors')!.value).toBeNull();
    expect(nb.find((m) => m.name === 'Note')!.value).toBe('half \uFFFD pair');
    expect(nb.every((m) => Number.isInteger(m.timestamp))).toBe(true);
    expect(node.stats().encodeErrors).toBe(1);
    source.set('psu-1', 2);
    await clock.advanceAsync(100);
    expect(decode(sparkplug(broker).at(-1)!.payload).seq).toBe(2);
    await node.stop();
  });

  it('stop() publishes NDEATH with the bdSeq and disconnects cleanly', async () => {
    const { broker, node } = await rig();
    await node.stop();
    const deaths = sparkplug(broker).filter((m) => typeOf(m.topic) === 'NDEATH');
    expect(deaths).toHaveLength(1);
    expect(deaths[0]!.qos).toBe(1);
    expect(decode(deaths[0]!.payload).metrics[0]!.value).toBe(0n);
    expect(node.state).toBe('stopped');
  });
});
