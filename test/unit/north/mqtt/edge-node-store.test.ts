import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { EdgeNode, type EdgeNodeConfig } from '../../../../src/north/mqtt/index.js';
import { FakeBroker, settle, until } from './fake-broker.js';
import { MemoryStore, RecordingSink, ScriptedSource, decode, typeOf } from './helpers.js';

const base: EdgeNodeConfig = {
  brokerUrl: 'mqtt://127.0.0.1:1883',
  groupId: 'site1',
  edgeNodeId: 'rack7',
  publishPeriodMs: 100,
  reconnect: { minMs: 500, maxMs: 500 },
};

async function rig(extra: Partial<EdgeNodeConfig> = {}, down = false) {
  const clock = new VirtualClock();
  const broker = new FakeBroker();
  broker.down = down;
  const source = new ScriptedSource(clock);
  const store = new MemoryStore();
  const node = new EdgeNode(
    { ...base, store, ...extra },
    { clock, source, sink: new RecordingSink(), transport: broker, random: () => 0.5 },
  );
  node.start();
  await settle();
  return { clock, broker, source, store, node };
}

const sp = (b: FakeBroker) => b.published('spBv1.0/');

describe('EdgeNode bdSeq', () => {
  it('takes a new bdSeq for every CONNECT attempt, failed ones included, and wraps at 255', async () => {
    const { clock, broker, node } = await rig({}, true);
    await clock.advanceAsync(1600, 50);
    broker.down = false;
    await clock.advanceAsync(600, 50);
    expect(node.state).toBe('online');
    const bds = broker.connects.map((c) => decode(c.will.payload).metrics[0]!.value);
    expect(bds).toEqual(bds.map((_, i) => BigInt(i)));
    const nbirth = decode(sp(broker).find((m) => typeOf(m.topic) === 'NBIRTH')!.payload);
    expect(nbirth.metrics.find((m) => m.name === 'bdSeq')!.value).toBe(bds.at(-1));
    await node.stop();
  });

  it('continues from the state file and wraps 255 → 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bdseq-'));
    const file = join(dir, 'bdseq.json');
    writeFileSync(file, JSON.stringify({ bdSeq: 254 }));
    const { clock, broker, node } = await rig({ bdSeqFile: file });
    await until(() => node.state === 'online');
    broker.dropClient();
    await clock.advanceAsync(600, 50);
    await until(() => node.state === 'online');
    const bds = broker.connects.map((c) => decode(c.will.payload).metrics[0]!.value);
    expect(bds).toEqual([255n, 0n]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bdSeq: 0 });
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a dropped connection delivers the will with the NBIRTH bdSeq; the next NBIRTH has bdSeq+1', async () => {
    const { clock, broker, node } = await rig();
    broker.dropClient();
    await clock.advanceAsync(600, 50);
    const types = sp(broker).map((m) => typeOf(m.topic));
    expect(types.filter((t) => t === 'NDEATH')).toHaveLength(1);
    const death = decode(sp(broker).find((m) => typeOf(m.topic) === 'NDEATH')!.payload);
    expect(death.metrics[0]!.value).toBe(0n);
    const births = sp(broker).filter((m) => typeOf(m.topic) === 'NBIRTH');
    expect(
      births.map((b) => decode(b.payload).metrics.find((m) => m.name === 'bdSeq')!.value),
    ).toEqual([0n, 1n]);
    expect(decode(births[1]!.payload).seq).toBe(0);
    await node.stop();
  });
});

describe('EdgeNode store-and-forward', () => {
  it('stores while the broker is away, then births, historical replay in order, then live', async () => {
    const { clock, broker, source, store, node } = await rig({ replayWindow: 3 });
    broker.crash();
    for (let i = 1; i <= 10; i++) {
      source.set('psu-1', i);
      await clock.advanceAsync(100);
    }
    expect(store.records.length).toBe(10);
    expect(node.stats().stored).toBe(10);
    const before = broker.log.length;
    broker.down = false;
    await clock.advanceAsync(500, 10);
    await settle(50);
    const after = broker.log.slice(before).filter((m) => m.topic.startsWith('spBv1.0/'));
    const kinds = after.map((m) => typeOf(m.topic));
    expect(kinds.slice(0, 4)).toEqual(['NBIRTH', 'DBIRTH', 'DBIRTH', 'DBIRTH']);
    const hist = after.filter((m) => typeOf(m.topic) === 'DDATA').map((m) => decode(m.payload));
    const histValues = hist
      .filter((p) => p.metrics[0]!.isHistorical)
      .map((p) => p.metrics[0]!.value);
    expect(histValues).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(after.filter((m) => typeOf(m.topic) === 'DDATA').every((m) => m.qos === 1)).toBe(true);
    expect(store.records).toHaveLength(0);
    expect(node.stats().replayed).toBe(10);
    const seqs = after.map((m) => decode(m.payload).seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    source.set('psu-1', 11);
    await clock.advanceAsync(100);
    const live = decode(broker.log.at(-1)!.payload);
    expect(live.metrics[0]!.value).toBe(11);
    expect(live.metrics[0]!.isHistorical).toBeUndefined();
    await node.stop();
  });

  it('acks only what the broker PUBACKed: a loss mid-replay leaves the tail for the next session', async () => {
    const { clock, broker, source, store, node } = await rig({ replayWindow: 4 });
    broker.crash();
    for (let i = 1; i <= 6; i++) {
      source.set('psu-1', i);
      await clock.advanceAsync(100);
    }
    broker.holdAcks = true;
    broker.down = false;
    await clock.advanceAsync(500, 10);
    // Four historical DDATA in flight, none acked: the store still holds all six.
    expect(store.records).toHaveLength(6);
    broker.dropClient();
    await settle();
    expect(store.records.length).toBeGreaterThanOrEqual(6);
    broker.holdAcks = false;
    await clock.advanceAsync(600, 10);
    await settle(50);
    expect(store.records).toHaveLength(0);
    const hist = broker.log
      .filter((m) => m.topic.endsWith('/DDATA/rack7/psu-1'))
      .map((m) => decode(m.payload).metrics[0]!)
      .filter((m) => m.isHistorical);
    // Session 2 sent 1..4 and lost them unacked; session 3 sends all six again, in order, then
    // the samples of session 2's DBIRTH (6), which was never confirmed either.
    expect(hist.map((m) => m.value)).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 6]);
    await node.stop();
  });

  it('live DATA unconfirmed at a connection loss goes to the store and comes back historical', async () => {
    const { clock, broker, source, store, node } = await rig();
    broker.holdAcks = true;
    source.set('psu-1', 42);
    await clock.advanceAsync(100);
    broker.dropClient();
    await settle();
    expect(node.stats().spilled).toBeGreaterThan(0);
    expect(store.records.length).toBeGreaterThan(0);
    broker.holdAcks = false;
    await clock.advanceAsync(600, 10);
    await settle(50);
    const hist = broker.log
      .filter((m) => m.topic.endsWith('/DDATA/rack7/psu-1'))
      .map((m) => decode(m.payload).metrics[0]!)
      .filter((m) => m.isHistorical);
    expect(hist.map((m) => m.value)).toContain(42);
    expect(store.records).toHaveLength(0);
    await node.stop();
  });

  it('without a store, offline data is dropped and counted', async () => {
    const clock = new VirtualClock();
    const broker = new FakeBroker();
    const source = new ScriptedSource(clock);
    const node = new EdgeNode(base, {
      clock,
      source,
      sink: new RecordingSink(),
      transport: broker,
    });
    node.start();
    await settle();
    broker.crash();
    source.set('psu-1', 5);
    await clock.advanceAsync(100);
    expect(node.stats().droppedNoStore).toBe(1);
    await node.stop();
  });

  it('devices offline at reconnect are born for their history, then die', async () => {
    const { clock, broker, source, node } = await rig();
    broker.crash();
    source.set('psu-1', 3);
    await clock.advanceAsync(100);
    source.online.set('psu-1', false);
    await clock.advanceAsync(100);
    broker.down = false;
    await clock.advanceAsync(500, 10);
    await settle(50);
    await clock.advanceAsync(100);
    const psu = broker.log
      .filter((m) => m.topic.endsWith('/rack7/psu-1'))
      .map((m) => typeOf(m.topic));
    expect(psu.slice(-3)).toEqual(['DBIRTH', 'DDATA', 'DDEATH']);
    await node.stop();
  });

  it('a refused publish (MQTT 5 reason code) is counted, not retried forever', async () => {
    const { clock, broker, source, node } = await rig({});
    broker.refuseTopic('spBv1.0/site1/DDATA/rack7/psu-1', 0x87);
    source.set('psu-1', 9);
    await clock.advanceAsync(100);
    await settle();
    expect(node.stats().publishRefused).toBe(1);
    expect(node.stats().stored).toBe(0);
    await node.stop();
  });
});
