/**
 * One bench:fleet measurement: N gateways on a running broker. Forks the fleet consumer and
 * `processes` gateway hosts (N split between them), waits until every gateway is online, warms
 * up, measures one window, stops everything (NDEATHs included) and checks that the consumer saw
 * exactly what the gateways published. Every wait is bounded; children are killed on any error.
 */
import { processCpuMs } from './fleet-proc.js';
import {
  addCounts,
  Child,
  sumCounts,
  type ConsumerFinal,
  type ConsumerWindow,
  type GatewaysFinal,
  type GatewaysReady,
  type GatewaysWindow,
  type MessageCounts,
} from './fleet-protocol.js';
import { coreShare, summarise, type LatencySummary } from './fleet-stats.js';

export interface FleetOptions {
  readonly url: string;
  readonly n: number;
  /** Gateway host processes (default 1: all N gateways in one process). */
  readonly processes?: number;
  readonly periodMs?: number;
  readonly warmupMs?: number;
  readonly windowMs?: number;
  readonly qos?: 0 | 1;
  readonly aligned?: boolean;
  readonly maxSilenceMs?: number;
  /** mosquitto's pid, for its CPU share (null: not reported). */
  readonly brokerPid?: number | null;
  /** Sparkplug group id; default `fleet-<n>`, so runs on one broker never mix. */
  readonly group?: string;
}

export interface FleetResult {
  readonly n: number;
  readonly processes: number;
  readonly periodMs: number;
  readonly qos: 0 | 1;
  readonly aligned: boolean;
  readonly windowS: number;
  readonly publishedPerS: number;
  readonly receivedPerS: number;
  readonly metricsPerS: number;
  /** Topic + payload bytes per second at the consumer. */
  readonly bytesPerS: number;
  /** NBIRTH + DBIRTHs of one gateway, bytes: what every reconnect costs the broker and hosts. */
  readonly birthBytesPerGateway: number;
  /** Sample timestamp → consumer: the figure the acceptance asks for. */
  readonly latency: LatencySummary;
  /**
   * Payload timestamp → consumer: the broker hop alone. The payload timestamp is whole ms,
   * floored, so this reads up to 1 ms (0.5 ms on average) high.
   */
  readonly wire: LatencySummary;
  /** Share of one core, %. */
  readonly cpu: {
    readonly perGateway: number;
    readonly gatewaysTotal: number;
    readonly consumer: number;
    readonly broker: number | null;
  };
  /** Growth over each host's baseline after GC, divided by N; baselineRss is per process. */
  readonly memory: {
    readonly heapPerGatewayKiB: number;
    readonly rssPerGatewayKiB: number;
    readonly baselineRssMiB: number;
  };
  readonly window: { readonly published: MessageCounts; readonly received: MessageCounts };
  readonly totals: {
    readonly published: MessageCounts;
    readonly received: MessageCounts;
    readonly seqGaps: number;
    readonly undecodable: number;
    readonly disconnects: number;
    readonly publishRefused: number;
    readonly droppedNoStore: number;
  };
  /** Every published message received, no seq gap, nothing undecodable, no disconnect. */
  readonly consistent: boolean;
  readonly problems: readonly string[];
}

/** tsx start-up of a child plus its work; generous, since a slow CI box is not a failure. */
const CHILD_START_MS = 30_000;
const STOP_MS = 15_000;

const CHILD_DIR = new URL('./', import.meta.url);

/** N split as evenly as possible over k processes. */
export function split(n: number, k: number): number[] {
  const parts = Math.max(1, Math.min(k, n));
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runFleet(o: FleetOptions): Promise<FleetResult> {
  const processes = split(o.n, o.processes ?? 1);
  const periodMs = o.periodMs ?? 1000;
  const qos = o.qos ?? 0;
  const aligned = o.aligned ?? false;
  const group = o.group ?? `fleet-${o.n}`;
  const children: Child[] = [];
  try {
    const consumer = Child.fork('consumer', new URL('fleet-consumer.ts', CHILD_DIR));
    children.push(consumer);
    consumer.send({ type: 'start', url: o.url, group, qos });
    await consumer.next('subscribed', CHILD_START_MS);

    const hosts: Child[] = [];
    let first = 0;
    for (const [i, count] of processes.entries()) {
      const h = Child.fork(`gateways#${i}`, new URL('fleet-gateways.ts', CHILD_DIR));
      children.push(h);
      hosts.push(h);
      h.send({
        type: 'start',
        url: o.url,
        group,
        firstIndex: first,
        count,
        total: o.n,
        periodMs,
        aligned,
        qos,
        maxSilenceMs: o.maxSilenceMs ?? 60_000,
        onlineTimeoutMs: 20_000,
      });
      first += count;
    }
    const ready: GatewaysReady[] = await Promise.all(
      hosts.map((h) => h.next('ready', CHILD_START_MS + 20_000)),
    );

    await sleep(o.warmupMs ?? 3000);
    const windowMs = o.windowMs ?? 20_000;
    const brokerCpu0 = o.brokerPid ? processCpuMs(o.brokerPid) : null;
    const brokerAt0 = performance.now();
    for (const c of children) c.send({ type: 'window-start' });
    await sleep(windowMs);
    for (const c of children) c.send({ type: 'window-end' });
    const brokerCpu1 = o.brokerPid ? processCpuMs(o.brokerPid) : null;
    const brokerWallMs = performance.now() - brokerAt0;
    const cw: ConsumerWindow = await consumer.next('consumer-window', STOP_MS);
    const gw: GatewaysWindow[] = await Promise.all(hosts.map((h) => h.next('gw-window', STOP_MS)));

    for (const h of hosts) h.send({ type: 'stop' });
    const gf: GatewaysFinal[] = await Promise.all(hosts.map((h) => h.next('gw-final', STOP_MS)));
    // Only now: the consumer waits for the stream to go quiet, which it does once all stopped.
    consumer.send({ type: 'stop' });
    const cf: ConsumerFinal = await consumer.next('consumer-final', STOP_MS);
    await Promise.all(children.map((c) => c.exit(5000)));

    return assemble({
      o,
      processes: processes.length,
      periodMs,
      qos,
      aligned,
      ready,
      gw,
      gf,
      cw,
      cf,
      broker:
        brokerCpu0 !== null && brokerCpu1 !== null
          ? coreShare(brokerCpu1 - brokerCpu0, brokerWallMs)
          : null,
    });
  } finally {
    await Promise.all(children.map((c) => c.kill()));
  }
}

interface Parts {
  readonly o: FleetOptions;
  readonly processes: number;
  readonly periodMs: number;
  readonly qos: 0 | 1;
  readonly aligned: boolean;
  readonly ready: readonly GatewaysReady[];
  readonly gw: readonly GatewaysWindow[];
  readonly gf: readonly GatewaysFinal[];
  readonly cw: ConsumerWindow;
  readonly cf: ConsumerFinal;
  readonly broker: number | null;
}

/** The children's reports → one result; exported for the unit test of the arithmetic. */
export function assemble(p: Parts): FleetResult {
  const { o, gw, gf, cw, cf, ready } = p;
  const n = o.n;
  const perS = (count: number, wallMs: number): number => (1000 * count) / wallMs;
  const windowPublished: MessageCounts = {};
  for (const w of gw) addCounts(windowPublished, w.published);
  const published: MessageCounts = {};
  for (const f of gf) addCounts(published, f.published);
  const gatewaysTotal = gw.reduce((a, w) => a + coreShare(w.cpuMs, w.wallMs), 0);
  let heap = 0;
  let rss = 0;
  for (const [i, w] of gw.entries()) {
    heap += w.heapUsed - ready[i]!.baselineHeap;
    rss += w.rss - ready[i]!.baselineRss;
  }
  const totals = {
    published,
    received: cf.received,
    seqGaps: cf.seqGaps,
    undecodable: cf.undecodable,
    disconnects: gf.reduce((a, f) => a + f.disconnects, 0),
    publishRefused: gf.reduce((a, f) => a + f.publishRefused, 0),
    droppedNoStore: gf.reduce((a, f) => a + f.droppedNoStore, 0),
  };
  const problems = checkTotals(totals);
  return {
    n,
    processes: p.processes,
    periodMs: p.periodMs,
    qos: p.qos,
    aligned: p.aligned,
    windowS: cw.wallMs / 1000,
    publishedPerS: gw.reduce((a, w) => a + perS(sumCounts(w.published), w.wallMs), 0),
    receivedPerS: perS(sumCounts(cw.received), cw.wallMs),
    metricsPerS: perS(cw.metrics, cw.wallMs),
    bytesPerS: perS(cw.bytes, cw.wallMs),
    birthBytesPerGateway: cf.birthBytes / n,
    latency: summarise(cw.latenciesMs),
    wire: summarise(cw.wireMs),
    cpu: {
      perGateway: gatewaysTotal / n,
      gatewaysTotal,
      consumer: coreShare(cw.cpuMs, cw.wallMs),
      broker: p.broker,
    },
    memory: {
      heapPerGatewayKiB: heap / n / 1024,
      rssPerGatewayKiB: rss / n / 1024,
      baselineRssMiB: ready.reduce((a, r) => a + r.baselineRss, 0) / ready.length / 2 ** 20,
    },
    window: { published: windowPublished, received: cw.received },
    totals,
    consistent: problems.length === 0,
    problems,
  };
}

/** What makes a run's figures untrustworthy: loss, duplicates, undecodable payloads, reconnects. */
export function checkTotals(t: FleetResult['totals']): string[] {
  const problems: string[] = [];
  const types = new Set([...Object.keys(t.published), ...Object.keys(t.received)]);
  for (const type of [...types].sort()) {
    const pub = t.published[type] ?? 0;
    const rec = t.received[type] ?? 0;
    if (pub !== rec) problems.push(`${type}: published ${pub}, received ${rec}`);
  }
  if (t.seqGaps > 0) problems.push(`${t.seqGaps} seq gaps`);
  if (t.undecodable > 0) problems.push(`${t.undecodable} undecodable payloads`);
  if (t.disconnects > 0) problems.push(`${t.disconnects} gateway disconnects`);
  if (t.publishRefused > 0) problems.push(`${t.publishRefused} publishes refused`);
  return problems;
}
