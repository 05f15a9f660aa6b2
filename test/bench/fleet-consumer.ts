/**
 * bench:fleet child: the fleet consumer — one mqtt.js subscriber on `spBv1.0/<group>/#` that
 * decodes every payload with our codec, as a fleet service would. It counts messages, bytes and
 * metrics, checks seq continuity per edge node, and takes each DATA message's latency from the
 * sample timestamp in its metrics to the moment the message reached this process. Started by
 * fleet-run.ts; speaks fleet-protocol.ts.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { decodePayload } from '../../src/north/mqtt/sparkplug/index.js';
import {
  collect,
  finish,
  onParent,
  reply,
  type ConsumerStart,
  type MessageCounts,
} from './fleet-protocol.js';
import { SeqTracker, WallClock } from './fleet-stats.js';

/** How long the stream must stay quiet after the gateways stopped before the totals are final. */
const QUIET_MS = 300;
const DRAIN_LIMIT_MS = 5000;

const wall = new WallClock();
const seq = new SeqTracker();
const total: MessageCounts = {};
let undecodable = 0;
/** Births are the cost of every (re)connect: sized separately for the failover arithmetic. */
let birthBytes = 0;
let lastMessageAt = performance.now();
let client: MqttClient | null = null;

interface Window {
  readonly cpu: NodeJS.CpuUsage;
  readonly at: number;
  readonly received: MessageCounts;
  bytes: number;
  metrics: number;
  readonly latenciesMs: number[];
  readonly wireMs: number[];
}
let win: Window | null = null;

function onMessage(topic: string, payload: Buffer): void {
  // Receipt time first: decoding is the consumer's work, not transport latency.
  const receivedAt = wall.nowMs();
  lastMessageAt = performance.now();
  const levels = topic.split('/');
  const type = levels[2] ?? '?';
  total[type] = (total[type] ?? 0) + 1;
  if (type === 'NBIRTH' || type === 'DBIRTH')
    birthBytes += Buffer.byteLength(topic) + payload.length;
  let p;
  try {
    p = decodePayload(payload);
  } catch {
    undecodable++;
    return;
  }
  seq.accept(levels[3] ?? '', type, p.seq);
  if (!win) return;
  win.received[type] = (win.received[type] ?? 0) + 1;
  win.bytes += Buffer.byteLength(topic) + payload.length;
  win.metrics += p.metrics.length;
  if (type !== 'NDATA' && type !== 'DDATA') return;
  // The newest sample in the message is this period's reading; an older timestamp would be the
  // sample's age at the gateway (a slow-lane value), not the pipeline's latency.
  let newest = Number.NEGATIVE_INFINITY;
  for (const m of p.metrics) if (m.timestamp !== undefined) newest = Math.max(newest, m.timestamp);
  if (Number.isFinite(newest)) win.latenciesMs.push(receivedAt - newest);
  // The payload timestamp is taken when the message is built, after the tick's earlier
  // messages: receipt minus it is the transport's share (RealClock gives whole ms, floored).
  if (p.timestamp !== undefined) win.wireMs.push(receivedAt - p.timestamp);
}

async function start(m: ConsumerStart): Promise<void> {
  const c = mqtt.connect(m.url, {
    clientId: `bench-fleet-consumer-${process.pid}`,
    protocolVersion: 5,
    clean: true,
    // A lost connection is a failed run (the seq check would report it), not something to hide.
    reconnectPeriod: 0,
  });
  client = c;
  c.on('message', onMessage);
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  await c.subscribeAsync(`spBv1.0/${m.group}/#`, { qos: m.qos });
  await reply({ type: 'subscribed' });
}

function windowEnd(): void {
  const w = win;
  if (!w) throw new Error('window-end before window-start');
  win = null;
  const cpu = process.cpuUsage(w.cpu);
  const wallMs = performance.now() - w.at;
  collect();
  const mem = process.memoryUsage();
  void reply({
    type: 'consumer-window',
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    heapUsed: mem.heapUsed,
    rss: mem.rss,
    received: w.received,
    bytes: w.bytes,
    metrics: w.metrics,
    latenciesMs: w.latenciesMs,
    wireMs: w.wireMs,
  });
}

async function stop(): Promise<void> {
  const limit = performance.now() + DRAIN_LIMIT_MS;
  while (performance.now() - lastMessageAt < QUIET_MS && performance.now() < limit) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await client?.endAsync(true);
  await finish({
    type: 'consumer-final',
    received: total,
    seqGaps: seq.gaps,
    undecodable,
    birthBytes,
  });
}

onParent(async (m) => {
  if (m.type === 'start' && !('firstIndex' in m)) await start(m);
  else if (m.type === 'window-start') {
    win = {
      cpu: process.cpuUsage(),
      at: performance.now(),
      received: {},
      bytes: 0,
      metrics: 0,
      latenciesMs: [],
      wireMs: [],
    };
  } else if (m.type === 'window-end') windowEnd();
  else if (m.type === 'stop') await stop();
});
