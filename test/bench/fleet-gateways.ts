/**
 * bench:fleet child: `count` simulated gateways in this one process — each a real EdgeNode (the
 * production class, mqtt.js transport, RealClock) over a SyntheticShelf. Everything the
 * process spends beyond its baseline is the gateways' cost: that is what makes the CPU and
 * memory per gateway honest. Started by fleet-run.ts; speaks fleet-protocol.ts.
 */
import { RealClock } from '../../src/clock/index.js';
import {
  EdgeNode,
  type CommandResult,
  type CommandSink,
  type EdgeNodeStats,
} from '../../src/north/mqtt/index.js';
import { loadBuiltinMaps } from '../../src/regmap/index.js';
import { BENCH_DEADBANDS, SyntheticShelf } from './fleet-shelf.js';
import {
  addCounts,
  collect,
  diffCounts,
  finish,
  onParent,
  reply,
  type GatewaysStart,
  type MessageCounts,
} from './fleet-protocol.js';
import { WallClock } from './fleet-stats.js';

/** The bench sends no commands; a sink that refuses keeps the nodes' wiring complete. */
const refuse = async (): Promise<CommandResult> => ({ ok: false, reason: 'bench' });
const sink: CommandSink = {
  setPowerCapW: refuse,
  locate: refuse,
  bbuSelfTest: refuse,
  hint: refuse,
};

const clock = new RealClock();
const wall = new WallClock();
const nodes: EdgeNode[] = [];
const startTimers: NodeJS.Timeout[] = [];
let windowStart: { cpu: NodeJS.CpuUsage; at: number; published: MessageCounts } | null = null;

/** Published messages per type over all nodes; types never published are left out. */
function published(): MessageCounts {
  const out: MessageCounts = {};
  for (const n of nodes) addCounts(out, n.stats().published);
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v > 0));
}

async function start(m: GatewaysStart): Promise<void> {
  // The register maps are loaded once per process and shared by every shelf: load them before
  // the baseline so they do not count as the first gateways' memory.
  loadBuiltinMaps();
  collect();
  const base = process.memoryUsage();
  for (let i = 0; i < m.count; i++) {
    const index = m.firstIndex + i;
    const node = new EdgeNode(
      {
        brokerUrl: m.url,
        groupId: m.group,
        edgeNodeId: `gw-${String(index).padStart(4, '0')}`,
        publishPeriodMs: m.periodMs,
        deadbands: BENCH_DEADBANDS,
        maxSilenceMs: m.maxSilenceMs,
        dataQos: m.qos,
      },
      { clock, source: new SyntheticShelf(() => wall.nowMs(), index + 1), sink },
    );
    nodes.push(node);
    // Real gateways boot at unrelated moments: spreading the starts over one period spreads
    // their ticks too, instead of N simultaneous bursts (--aligned measures that worst case).
    const offset = m.aligned ? 0 : (index * m.periodMs) / m.total;
    startTimers.push(setTimeout(() => node.start(), offset));
  }
  const deadline = performance.now() + m.onlineTimeoutMs + m.periodMs;
  while (nodes.some((n) => n.state !== 'online')) {
    if (performance.now() > deadline) {
      const off = nodes.filter((n) => n.state !== 'online').length;
      throw new Error(
        `${off} of ${nodes.length} gateways not online after ${m.onlineTimeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await reply({ type: 'ready', baselineHeap: base.heapUsed, baselineRss: base.rss });
}

function windowEnd(): void {
  if (!windowStart) throw new Error('window-end before window-start');
  // CPU and counters first: the GC below is measurement overhead, not gateway work.
  const cpu = process.cpuUsage(windowStart.cpu);
  const wallMs = performance.now() - windowStart.at;
  const counts = diffCounts(published(), windowStart.published);
  collect();
  const mem = process.memoryUsage();
  void reply({
    type: 'gw-window',
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    heapUsed: mem.heapUsed,
    rss: mem.rss,
    published: counts,
  });
}

async function stop(): Promise<void> {
  for (const t of startTimers) clearTimeout(t);
  // stop() publishes NDEATH and waits (bounded) for it: the consumer sees every death.
  await Promise.all(nodes.map((n) => n.stop()));
  const stats: EdgeNodeStats[] = nodes.map((n) => n.stats());
  await finish({
    type: 'gw-final',
    published: published(),
    disconnects: stats.reduce((a, s) => a + s.disconnects, 0),
    publishRefused: stats.reduce((a, s) => a + s.publishRefused, 0),
    droppedNoStore: stats.reduce((a, s) => a + s.droppedNoStore, 0),
  });
}

onParent(async (m) => {
  if (m.type === 'start' && 'firstIndex' in m) await start(m);
  else if (m.type === 'window-start') {
    windowStart = { cpu: process.cpuUsage(), at: performance.now(), published: published() };
  } else if (m.type === 'window-end') windowEnd();
  else if (m.type === 'stop') await stop();
});
