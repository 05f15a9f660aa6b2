import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import type { TaskContext } from '../../../../src/control/realtime/index.js';
import { createTask } from '../../../../src/control/realtime/synthetic-task.js';

function context(clock: VirtualClock) {
  const latencies: [number, number][] = [];
  const records: number[][] = [];
  const ctx: TaskContext = {
    clock,
    periodMs: 1,
    telemetryWidth: 8,
    recordLatency: (s, c) => latencies.push([s, c]),
    publish: (r) => records.push([...Array.from(r)]) > 0,
  };
  return { ctx, latencies, records };
}

describe('synthetic bench task (synthetic I/O stand-in + synthetic step)', () => {
  it('reads the synthetic shelf through PEC-checked frames and publishes one record a tick', async () => {
    const clock = new VirtualClock();
    const { ctx, latencies, records } = context(clock);
    const task = await createTask({ psus: 6, bbus: 6 }, ctx);
    for (let i = 0; i < 3; i++) {
      clock.advance(1);
      task.tick(clock.nowMs());
    }
    expect(latencies).toHaveLength(3);
    expect(records).toHaveLength(3);
    const [tick, sampleAt, commandAt, busV, loadW, commandW, capW] = records[2]!;
    expect(tick).toBe(3);
    expect(commandAt).toBeGreaterThanOrEqual(sampleAt!);
    expect(busV).toBeGreaterThan(49.7); // 50 V ± 0.2 V, LINEAR11-rounded
    expect(busV).toBeLessThan(50.3);
    expect(loadW).toBeGreaterThan(6 * 2400); // six PSUs at 4 kW ± 1.5 kW
    expect(loadW).toBeLessThan(6 * 5600);
    expect(commandW).toBe(0); // no cap yet
    expect(capW).toBe(Infinity);
  });

  it('discharges what the predicted load exceeds the power cap by, once a cap arrives', async () => {
    const clock = new VirtualClock();
    const { ctx, records } = context(clock);
    const task = await createTask({}, ctx);
    task.command!({ kind: 'setPowerCap', watts: 10_000 }, clock.nowMs());
    for (let i = 0; i < 200; i++) {
      clock.advance(1);
      task.tick(clock.nowMs());
    }
    const last = records.at(-1)!;
    expect(last[6]).toBe(10_000);
    expect(last[5]).toBeGreaterThan(0);
    task.command!({ kind: 'hint', deltaW: 3000, leadMs: 50 }, clock.nowMs());
    clock.advance(1);
    task.tick(clock.nowMs());
    expect(records.at(-1)![7]).toBe(3000);
  });

  it('rejects lane sizes it cannot address', () => {
    const { ctx } = context(new VirtualClock());
    expect(() => createTask({ psus: 99 }, ctx)).toThrow(
      expect.objectContaining({ code: 'E862_REALTIME_BAD_TASK' }),
    );
  });
});
