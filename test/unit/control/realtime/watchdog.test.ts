import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { HeartbeatWatchdog, type WatchdogEvent } from '../../../../src/control/realtime/index.js';

describe('heartbeat watchdog', () => {
  it('reports a stall once after stallMs of silence, and the resume once', () => {
    const clock = new VirtualClock();
    let beat = 0;
    const events: WatchdogEvent[] = [];
    const wd = new HeartbeatWatchdog(
      clock,
      () => beat,
      { stallMs: 50, checkMs: 10 },
      (e) => events.push(e),
    );
    wd.start();
    for (let i = 0; i < 10; i++) {
      beat += 10;
      clock.advance(10);
    }
    expect(events).toEqual([]);
    clock.advance(40); // silent 40 ms (the last move was seen at the previous check)
    expect(events).toEqual([]);
    clock.advance(10);
    expect(events).toEqual([{ type: 'stall', silentMs: 50, heartbeat: 100 }]);
    expect(wd.isStalled).toBe(true);
    clock.advance(200);
    expect(events).toHaveLength(1);
    beat++;
    clock.advance(10);
    expect(events[1]).toEqual({ type: 'resume', silentMs: 260, heartbeat: 101 });
    expect(wd.isStalled).toBe(false);
  });

  it('stops checking when stopped', () => {
    const clock = new VirtualClock();
    const events: WatchdogEvent[] = [];
    const wd = new HeartbeatWatchdog(
      clock,
      () => 0,
      { stallMs: 20, checkMs: 5 },
      (e) => events.push(e),
    );
    wd.start();
    wd.stop();
    clock.advance(1000);
    expect(events).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
