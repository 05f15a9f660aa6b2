/**
 * Acceptance (issue 6): kill -9 mosquitto for ~2 s during steady telemetry, restart it on the
 * same port, and count with a primary-host subscriber: zero lost and zero duplicated samples.
 *
 * Definitions (also in docs/MQTT.md "Store-and-forward"):
 * - A *sample* is one value the TelemetrySource handed to the edge node. CountingSource makes
 *   every read of devices() a new sample of `shelf-0/Counter`: values 0, 1, 2, … with distinct
 *   timestamps, so each read passes the deadband and every sample must be reported.
 * - A sample is *received* when the subscriber decodes it from a DBIRTH or a DDATA of this edge
 *   node, live (is_historical unset) or replayed (is_historical = true), with the value and the
 *   timestamp the source produced.
 * - *Lost*: produced but never received. *Duplicated*: received more than once (live twice, or
 *   live and historical, or historical twice). The test requires both to be zero, and every
 *   received value/timestamp pair to match what was produced.
 * - Seq continuity: from each NBIRTH on, this node's messages carry seq 0, 1, 2, … (mod 256)
 *   with no gap; only the session cut by the kill may end early.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/clock/index.js';
import { EdgeNode, type EdgeNodeEvent } from '../../../src/north/mqtt/index.js';
import { DurableQueue } from '../../../src/north/mqtt/store/index.js';
import { skipWithoutMosquitto, startMosquitto, type Mosquitto } from '../../support/mosquitto.js';
import { CountingSource, LoggingSink, TestHost, waitFor, type Received } from './support.js';

const skip = skipWithoutMosquitto('MQTT broker kill + restart (mosquitto)');
const G = 'killtest';
const NODE = 'rack1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip)('broker kill -9 and restart during steady telemetry', () => {
  let broker: Mosquitto;
  let dir: string;
  beforeAll(async () => {
    broker = await startMosquitto();
    dir = mkdtempSync(join(tmpdir(), 'orv3gw-sf-'));
  });
  afterAll(async () => {
    await broker?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loses no sample and duplicates none (live or historical)', { timeout: 20_000 }, async () => {
    const clock = new RealClock();
    const host = await TestHost.start(broker.url, G, 'scada');
    const store = DurableQueue.open({ dir, clock, fsync: 'none' });
    const source = new CountingSource(clock);
    const events: EdgeNodeEvent[] = [];
    const node = new EdgeNode(
      {
        brokerUrl: broker.url,
        groupId: G,
        edgeNodeId: NODE,
        primaryHostId: 'scada',
        publishPeriodMs: 50,
        reconnect: { minMs: 100, maxMs: 400 },
        store,
      },
      { clock, source, sink: new LoggingSink() },
    );
    node.onEvent((e) => events.push(e));
    node.start();
    await waitFor('online', () => node.state === 'online');
    await sleep(1000);

    await broker.kill();
    const killedAt = source.produced.length;
    await sleep(2000);
    const outage = source.produced.length - killedAt;
    await broker.restart();
    await waitFor(
      'second session',
      () => events.filter((e) => e.type === 'births').length >= 2,
      8000,
    );
    await waitFor('replay done', () => events.some((e) => e.type === 'replay-done'), 8000);
    await sleep(1000);
    await node.stop();
    const produced = source.produced.length;
    const mine = (): Received[] => host.received.filter((r) => r.topic.split('/')[3] === NODE);
    const counterOf = (r: Received) => r.payload.metrics;
    // Everything the edge node published before stop() has reached the subscriber once the
    // NDEATH of stop() has: same connection, same order.
    await waitFor('final NDEATH', () => mine().some((r) => r.type === 'NDEATH'), 5000);
    await host.stop();
    await store.close();

    // Resolve the Counter alias from the shelf's DBIRTH; count every received sample.
    const seen = new Map<number, { live: number; historical: number; ts: number[] }>();
    let alias: bigint | undefined;
    const liveOrder: number[] = [];
    for (const r of mine()) {
      if (r.deviceId !== 'shelf-0') continue;
      for (const m of counterOf(r)) {
        if (r.type === 'DBIRTH' && m.name === 'Counter') alias = m.alias;
        if (!(m.name === 'Counter' || (m.alias !== undefined && m.alias === alias))) continue;
        const v = m.value as number;
        const e = seen.get(v) ?? { live: 0, historical: 0, ts: [] };
        if (m.isHistorical) e.historical++;
        else {
          e.live++;
          liveOrder.push(v);
        }
        e.ts.push(m.timestamp!);
        seen.set(v, e);
      }
    }
    const lost = source.produced.filter((p) => !seen.has(p.value)).map((p) => p.value);
    const dup = [...seen].filter(([, e]) => e.live + e.historical > 1).map(([v]) => v);
    const liveDup = [...seen].filter(([, e]) => e.live > 1).map(([v]) => v);
    const wrongTs = source.produced.filter((p) =>
      seen.get(p.value)?.ts.some((t) => t !== p.timestampMs),
    );
    const historical = [...seen.values()].filter((e) => e.historical > 0).length;
    const unexpected = [...seen.keys()].filter((v) => v >= produced);

    if (process.env.MQTT_DEBUG)
      console.log({
        produced,
        outage,
        historical,
        live: liveOrder.length,
        sessions: mine().length,
        stats: node.stats(),
      });
    expect(outage).toBeGreaterThan(20);
    expect(historical).toBeGreaterThanOrEqual(outage - 2);
    expect({ lost, dup, liveDup, wrongTs, unexpected }).toEqual({
      lost: [],
      dup: [],
      liveDup: [],
      wrongTs: [],
      unexpected: [],
    });
    // Live samples arrive in production order.
    expect(liveOrder).toEqual([...liveOrder].sort((a, b) => a - b));

    // Seq continuity per session; bdSeq grows with every CONNECT.
    const sessions: number[][] = [];
    const bdSeqs: bigint[] = [];
    for (const r of mine()) {
      if (r.type === 'NDEATH') continue;
      if (r.type === 'NBIRTH') {
        sessions.push([]);
        bdSeqs.push(r.payload.metrics.find((m) => m.name === 'bdSeq')!.value as bigint);
      }
      sessions.at(-1)!.push(r.payload.seq!);
    }
    expect(sessions.length).toBe(2);
    for (const s of sessions) expect(s).toEqual(s.map((_, i) => i % 256));
    expect(bdSeqs[1]!).toBeGreaterThan(bdSeqs[0]!);
    expect(store.stats().records).toBe(0);
    expect(host.undecodable).toEqual([]);
  });
});
