/**
 * The north side sees the control loop through the gateway: node metrics Control/Mode, Ticks,
 * Overruns and Throttle Requested follow the loop; without a loop they are null, so the
 * Sparkplug birth's metric set is the same either way.
 */
import { describe, expect, it } from 'vitest';
import { createSimGateway, lockstep, runScenarioWithGateway } from '../../../src/simlink/index.js';
import { inlineScenario } from '../../support/sim.js';

const scenario = () =>
  inlineScenario({
    name: 'ctl-status',
    durationS: 1.5,
    zone: { preset: 'orv3-hpr-33kw' },
    load: { kind: 'constant', watts: 20000 },
    grid: { events: [] },
  });

const metric = (ms: readonly { name: string; value: unknown }[], name: string): unknown =>
  ms.find((m) => m.name === name)?.value;

describe('control status on the north side', () => {
  it('reports the running loop in the node metrics', async () => {
    let seen: readonly { name: string; value: unknown }[] = [];
    let ticks = 0;
    await runScenarioWithGateway(scenario(), {
      onTick: ({ sg, loop }) => {
        if (loop.stats.ticks === 1000) {
          seen = sg.gateway.telemetry.nodeMetrics();
          ticks = loop.stats.ticks;
        }
      },
    });
    expect(metric(seen, 'Control/Mode')).toBe('normal');
    expect(metric(seen, 'Control/Ticks')).toBe(ticks);
    expect(metric(seen, 'Control/Overruns')).toBe(0);
    expect(metric(seen, 'Control/Throttle Requested')).toBe(false);
  }, 60_000);

  it('publishes the same names with null values when no loop runs', async () => {
    const { sim, gateway } = createSimGateway(scenario());
    let up = false;
    void gateway.start().then(() => (up = true));
    while (!up) await lockstep(sim, 100);
    const ms = gateway.telemetry.nodeMetrics();
    for (const n of [
      'Control/Mode',
      'Control/Ticks',
      'Control/Overruns',
      'Control/Throttle Requested',
    ]) {
      expect(ms.some((m) => m.name === n)).toBe(true);
      expect(metric(ms, n)).toBeNull();
    }
    expect(gateway.control).toBeNull();
    const stopping = gateway.stop();
    await lockstep(sim, 50);
    await stopping;
  });
});
