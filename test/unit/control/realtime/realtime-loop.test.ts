import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  RealtimeLoop,
  SYNTHETIC_TASK_URL,
  type RealtimeEvent,
  type RealtimeLoopOptions,
} from '../../../../src/control/realtime/index.js';

/**
 * The real worker, for a few hundred ms each. No timing is asserted beyond "it ticked": counts
 * are checked against wide ranges, since this machine's scheduling is not ours to promise.
 */
const TEST_TASK = new URL('./fixtures/test-task.ts', import.meta.url);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function loop(
  task: Partial<RealtimeLoopOptions['task']> = {},
  o: Partial<RealtimeLoopOptions> = {},
) {
  const events: RealtimeEvent[] = [];
  const l = new RealtimeLoop({ task: { url: TEST_TASK, ...task }, ...o });
  l.onEvent((e) => events.push(e));
  return { l, events };
}

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 10) {
    if (waited > timeoutMs) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('RealtimeLoop (worker thread)', () => {
  it('ticks, delivers commands, publishes stats, and joins the worker on stop()', async () => {
    const { l, events } = loop();
    const t0 = performance.now();
    await l.start();
    expect(l.state).toBe('running');
    expect(events.map((e) => e.type)).toEqual(['running']);
    expect(l.send({ kind: 'setPowerCap', watts: 21_000 })).toBe(true);
    expect(l.send({ kind: 'hint', deltaW: -4000, leadMs: 15 })).toBe(true);
    await sleep(300);
    const live = l.stats();
    // ~300 at 1 kHz; a busy box may starve the worker, but it can never tick more than once per
    // period since start() was called (no bursting).
    expect(live.ticks).toBeGreaterThan(10);
    expect(live.ticks).toBeLessThanOrEqual(performance.now() - t0 + 1);
    expect(live.jitter.count).toBe(live.ticks);
    expect(live.latency.count).toBeGreaterThan(0);
    const echoed: number[][] = [];
    l.drainTelemetry((r) => echoed.push([r[0]!, r[1]!, r[2]!]));
    expect(echoed).toEqual([
      [1, 21_000, 0],
      [2, -4000, 15],
    ]);
    const final = await l.stop();
    expect(l.state).toBe('stopped');
    expect(final.ticks).toBeGreaterThanOrEqual(live.ticks);
    expect(events.map((e) => e.type)).toEqual(['running', 'stopped']);
    expect(l.send({ kind: 'setPowerCap', watts: 1 })).toBe(false);
    await sleep(50);
    expect(l.stats().ticks).toBe(final.ticks); // nothing ticks any more
    expect(await l.stop()).toEqual(l.stats()); // stop() again is harmless
  });

  it('clears its statistics on request', async () => {
    const { l } = loop();
    await l.start();
    await sleep(100);
    const before = l.stats().ticks;
    l.resetStats();
    await until(() => l.stats().ticks < before);
    await l.stop();
  });

  it('reports the death of a worker whose tick threw, without taking the process down', async () => {
    const { l, events } = loop({ options: { dieAtTick: 50 } });
    await l.start();
    await until(() => l.state === 'dead');
    const died = events.find((e) => e.type === 'died');
    expect(died).toBeDefined();
    if (died?.type !== 'died') return;
    expect(died.error.code).toBe('E863_REALTIME_WORKER_DIED');
    expect(died.error.message).toContain('test task died on purpose');
    expect(l.stats().ticks).toBe(49);
    await l.stop(); // harmless on a dead loop
  });

  it('reports a worker that exited by itself', async () => {
    const { l, events } = loop({ options: { exitAtTick: 20 } });
    await l.start();
    await until(() => l.state === 'dead');
    const died = events.find((e) => e.type === 'died');
    expect(died?.type === 'died' && died.error.context.exitCode).toBe(3);
  });

  it('reports a stalled heartbeat, then its resumption', async () => {
    const { l, events } = loop(
      { options: { stallAtTick: 30, stallMs: 400 } },
      { stallMs: 100, watchdogCheckMs: 10 },
    );
    await l.start();
    await until(() => events.some((e) => e.type === 'resume'));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['running', 'stall', 'resume']);
    const stall = events[1]!;
    expect(stall.type === 'stall' && stall.error.code).toBe('E865_REALTIME_STALLED');
    await l.stop();
  });

  it('refuses a task module without its factory, or whose factory throws', async () => {
    for (const name of ['notAFactory', 'missing', 'throwingFactory']) {
      const { l } = loop({ export: name });
      await expect(l.start()).rejects.toMatchObject({ code: 'E862_REALTIME_BAD_TASK' });
      await until(() => l.state === 'dead');
    }
    const { l } = loop({ url: new URL('./fixtures/no-such-task.ts', import.meta.url) });
    await expect(l.start()).rejects.toMatchObject({ code: 'E862_REALTIME_BAD_TASK' });
  });

  it('refuses impossible options and a second start()', async () => {
    expect(() => loop({}, { periodMs: 0 })).toThrow(
      expect.objectContaining({ code: 'E861_REALTIME_BAD_OPTIONS' }),
    );
    expect(() => loop({ url: 'relative/task.ts' })).toThrow(
      expect.objectContaining({ code: 'E861_REALTIME_BAD_OPTIONS' }),
    );
    const { l } = loop();
    const started = l.start();
    expect(() => l.start()).toThrow(expect.objectContaining({ code: 'E866_REALTIME_BAD_STATE' }));
    await started;
    await l.stop();
  });

  it.skipIf(process.platform !== 'linux')(
    'renices its own thread only, and tells its OS thread id',
    async () => {
      const { l } = loop({}, { nice: 19 });
      await l.start();
      const { osThreadId, niceError } = l.thread;
      expect(niceError).toBeNull();
      expect(osThreadId).not.toBe(process.pid);
      // Field 19 of /proc/<pid>/task/<tid>/stat is the nice value (after the "(comm)" field).
      const niceOf = (tid: number): number => {
        const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      };
      expect(niceOf(osThreadId!)).toBe(19);
      expect(niceOf(process.pid)).toBe(getPriority()); // the main thread kept its own
      await l.stop();
    },
  );

  it('runs the synthetic bench task', async () => {
    const l = new RealtimeLoop({ task: { url: SYNTHETIC_TASK_URL, options: { workRepeats: 1 } } });
    await l.start();
    await sleep(200);
    let records = 0;
    l.drainTelemetry(() => records++);
    const s = await l.stop();
    expect(records).toBeGreaterThan(10);
    expect(s.latency.count).toBe(s.ticks);
    expect(s.telemetryDropped).toBe(0);
  });
});
