/**
 * With the fast lane off (the control loop owns the PMBus segments), the gateway's bus voltage
 * comes from the slow lane, and its age is that sample's, not zero: the Redfish reading's time
 * and the status line must not present a second-old value as current.
 */
import { describe, expect, it } from 'vitest';
import { createSimGateway, lockstep } from '../../../src/simlink/index.js';
import { inlineScenario } from '../../support/sim.js';

describe('Gateway summary without a fast lane', () => {
  it('dates the slow-lane bus voltage by its own sample', async () => {
    const { sim, gateway } = createSimGateway(
      inlineScenario({
        name: 'gw-slow',
        durationS: 120,
        zone: { preset: 'orv3-hpr-33kw' },
        load: { kind: 'constant', watts: 20000 },
        grid: { events: [] },
      }),
      { gateway: { fastLane: false } },
    );
    let started = false;
    void gateway.start().then(() => (started = true));
    while (!started) await lockstep(sim, 100);
    await lockstep(sim, 2500);
    const bbu = gateway.deviceDrivers.find((d) => d.kind === 'bbu')!;
    const t = gateway.bbu(bbu.unit)!;
    const s = gateway.summary();
    expect(s.fastHz ?? null).toBeNull();
    expect(s.busV!).toBeCloseTo(sim.instruments.busV, 1);
    expect(s.busAgeMs).toBe(sim.clock.nowMs() - t.bus.sampledAtMs);
    // A millisecond on, the sample it reports is older (or a sweep replaced it: its own age).
    await lockstep(sim, 1);
    const later = gateway.summary();
    const t2 = gateway.bbu(bbu.unit)!;
    expect(later.busAgeMs).toBe(sim.clock.nowMs() - t2.bus.sampledAtMs);
    expect(later.busAgeMs!).toBeGreaterThan(0);
    const stopping = gateway.stop();
    await lockstep(sim, 50);
    await stopping;
  });
});
