import { describe, expect, it } from 'vitest';
import { RealtimeLoop } from '../../../src/control/realtime/index.js';

/**
 * The real control loop runs in the worker thread on a simulated shelf (bench:loop's tick body):
 * it prepares the devices, reaches normal mode on fresh samples, commands nothing in steady
 * state, and records sample-to-command latency. No timing is asserted beyond "it ticked".
 */
const TASK = new URL('../../../src/simlink/realtime-shelf-task.ts', import.meta.url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('realtime shelf task', () => {
  it('runs the real ControlLoop in the worker and reaches normal mode', async () => {
    const l = new RealtimeLoop({ task: { url: TASK, options: {} }, periodMs: 1, spinMs: 0 });
    await l.start();
    const modes: number[] = [];
    const loads: number[] = [];
    for (let waited = 0; waited < 20_000 && !modes.includes(1); waited += 100) {
      await sleep(100);
      l.drainTelemetry((r) => {
        modes.push(r[6]!);
        loads.push(r[4]!);
      });
    }
    expect(l.send({ kind: 'setPowerCap', watts: 30_000 })).toBe(true);
    await sleep(100);
    const s = await l.stop();
    expect(s.ticks).toBeGreaterThan(50);
    expect(s.latency.count).toBeGreaterThan(0);
    // Autonomous first (no samples yet), then normal on fresh samples.
    expect(modes[0]).toBe(0);
    expect(modes).toContain(1);
    // The load it read over the simulated PMBus is the demo shelf's (tens of kW), not NaN.
    expect(loads.filter((x) => x > 1000).length).toBeGreaterThan(0);
  }, 60_000);
});
