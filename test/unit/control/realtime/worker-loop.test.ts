import { describe, expect, it } from 'vitest';
import type { RealtimeCommand, RealtimeTask } from '../../../../src/control/realtime/index.js';
import { SpscRing } from '../../../../src/control/realtime/index.js';
import { encodeCommand, COMMAND_WIDTH } from '../../../../src/control/realtime/commands.js';
import {
  ControlBlock,
  createControlBuffer,
  RunState,
} from '../../../../src/control/realtime/control-block.js';
import {
  createStatsBuffer,
  readStats,
  StatsWriter,
} from '../../../../src/control/realtime/stats-block.js';
import { runLoop } from '../../../../src/control/realtime/worker-loop.js';

/**
 * The worker's loop on fake time: every clock read moves time by 1 µs (so a spin ends), a sleep
 * moves it by what was asked plus a chosen oversleep, a tick by its chosen cost.
 */
function harness(o: {
  tickCostMs?: (k: number) => number;
  oversleepMs?: (call: number) => number;
  spinMs?: number;
  onTick?: (k: number, h: Harness) => void;
}) {
  const h = {
    t: 1000,
    sleeps: [] as number[],
    tickTimes: [] as number[],
    calls: [] as string[],
    control: new ControlBlock(createControlBuffer()),
    statsBuf: createStatsBuffer(),
    commands: SpscRing.create(16, COMMAND_WIDTH),
    closed: false,
  };
  const task: RealtimeTask = {
    tick(now) {
      const k = h.tickTimes.length;
      h.tickTimes.push(now);
      h.calls.push(`tick@${k}`);
      o.onTick?.(k, h);
      h.t += o.tickCostMs?.(k) ?? 0.2;
    },
    command(cmd: RealtimeCommand) {
      h.calls.push(cmd.kind === 'setPowerCap' ? `cap=${cmd.watts}` : `hint=${cmd.deltaW}`);
    },
    close() {
      h.closed = true;
    },
  };
  const run = (maxTicks: number): number =>
    runLoop({
      now: () => (h.t += 0.001),
      sleep: (_token, ms) => {
        h.sleeps.push(ms);
        h.t += ms + (o.oversleepMs?.(h.sleeps.length - 1) ?? 0);
      },
      control: h.control,
      stats: new StatsWriter(h.statsBuf),
      commands: h.commands,
      task,
      periodMs: 1,
      spinMs: o.spinMs ?? 0.3,
      maxTicks,
    });
  return { h, run, stats: () => readStats(h.statsBuf) };
}
type Harness = ReturnType<typeof harness>['h'];

describe('runLoop on fake time', () => {
  it('ticks on the absolute 1 ms grid, sleeping to spinMs before each deadline', () => {
    const { h, run, stats } = harness({});
    expect(run(50)).toBe(50);
    const start = h.tickTimes[0]!;
    h.tickTimes.forEach((t, k) => expect(t - (start + k)).toBeLessThan(0.01));
    // Each sleep stopped 0.3 ms short of its deadline; the spin did the rest.
    expect(Math.max(...h.sleeps)).toBeLessThanOrEqual(1);
    const s = stats();
    expect(s.ticks).toBe(50);
    expect(s.overruns).toBe(0);
    expect(s.jitter.maxMs).toBeLessThan(0.01);
    expect(s.duration.p50Ms).toBeGreaterThan(0.2); // tick cost + one clock read
    expect(s.duration.p50Ms).toBeLessThan(0.21);
    expect(h.control.heartbeat()).toBe(50);
    expect(h.control.state()).toBe(RunState.Running);
    expect(h.closed).toBe(true);
  });

  it('counts an overlong tick as overruns and skips ahead instead of bursting', () => {
    const { h, run, stats } = harness({ tickCostMs: (k) => (k === 3 ? 2.5 : 0.2) });
    run(8);
    const start = h.tickTimes[0]!;
    const slots = h.tickTimes.map((t) => Math.round(t - start));
    // Tick 3 ran to 5.5 ms: deadlines 4 and 5 were skipped, the next tick ran at 6, on time.
    expect(slots).toEqual([0, 1, 2, 3, 6, 7, 8, 9]);
    expect(stats().overruns).toBe(2);
    expect(stats().jitter.maxMs).toBeLessThan(0.01);
    expect(stats().duration.maxMs).toBeGreaterThan(2.5);
  });

  it('records a late wake-up as jitter, and the deadlines it swallowed as overruns', () => {
    const { h, run, stats } = harness({ oversleepMs: (call) => (call === 4 ? 1.7 : 0) });
    run(6);
    const s = stats();
    // Woke 1.7 ms after aiming 0.3 ms early: 1.4 ms late; its tick ended past the next deadline.
    expect(s.jitter.maxMs).toBeGreaterThan(1.39);
    expect(s.jitter.maxMs).toBeLessThan(1.45);
    expect(s.overruns).toBe(1);
    expect(s.ticks).toBe(6);
    expect(h.tickTimes).toHaveLength(6);
  });

  it('never sleeps when spinMs covers the whole period', () => {
    const { h, run, stats } = harness({ spinMs: 1 });
    run(10);
    expect(h.sleeps).toEqual([]);
    expect(stats().jitter.maxMs).toBeLessThan(0.01);
  });

  it('delivers queued commands in order before the tick that follows them', () => {
    const { h, run } = harness({
      onTick: (k, hh) => {
        if (k !== 1) return;
        const rec = new Float64Array(COMMAND_WIDTH);
        encodeCommand({ kind: 'setPowerCap', watts: 20_000 }, rec);
        hh.commands.push(rec);
        encodeCommand({ kind: 'hint', deltaW: 5000, leadMs: 20 }, rec);
        hh.commands.push(rec);
        hh.commands.push([77, 1, 2, 3]); // a kind this build does not know: dropped
      },
    });
    run(3);
    expect(h.calls).toEqual(['tick@0', 'tick@1', 'cap=20000', 'hint=5000', 'tick@2']);
  });

  it('leaves promptly when a stop is requested, and closes the task', () => {
    const { h, run } = harness({ onTick: (k, hh) => k === 4 && hh.control.requestStop() });
    expect(run(1000)).toBe(5);
    expect(h.closed).toBe(true);
  });

  it('does not start when the stop came before the first tick', () => {
    const { h, run } = harness({});
    h.control.requestStop();
    expect(run(10)).toBe(0);
    expect(h.control.state()).toBe(RunState.StopRequested);
  });

  it('clears its statistics on the tick after a reset request (one writer)', () => {
    const { run, stats } = harness({
      tickCostMs: (k) => (k === 0 ? 3 : 0.2),
      onTick: (k, hh) => k === 4 && hh.control.requestReset(),
    });
    run(10);
    const s = stats();
    expect(s.ticks).toBe(5); // ticks 5..9
    expect(s.overruns).toBe(0); // the slow first tick's overruns went with the reset
    expect(s.duration.maxMs).toBeLessThan(1);
  });
});
