/**
 * Safety under faults with the gateway in the loop (issue 4, item 4), judged from simulator
 * truth: a dead gateway's commands lapse and the shelf falls back to native behaviour; dead or
 * garbled devices are excluded without losing the ride-through; a dead fast lane sends the
 * loop autonomous and leaves nothing in force.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTROL_CONFIG } from '../../src/control/index.js';
import { runScenarioWithGateway, type SimGateway } from '../../src/simlink/index.js';
import { libraryScenario } from '../support/sim.js';

const LEASE = DEFAULT_CONTROL_CONFIG.dischargeLeaseMs;

describe('gateway faults', () => {
  it('a gateway that dies mid ride-through leaves the shelf to its native behaviour', async () => {
    const s = { ...libraryScenario('sag-0pu-2s-at-80pct'), durationS: 4 };
    const killAtS = 2.5;
    let forcedAtKill = 0;
    let sg0: SimGateway | undefined;
    const gw = await runScenarioWithGateway(s, {
      killAtS,
      onReady: ({ sg }) => (sg0 = sg),
      onTick: ({ sg }) => {
        const inst = sg.sim.instruments;
        if (inst.tS >= killAtS - 0.002)
          for (let i = 0; i < inst.bbuCount; i++) {
            const b = inst.bbu(i);
            if (b.state === 'forced') forcedAtKill++;
            expect(b.forcedLeaseRemainingMs).toBeLessThanOrEqual(LEASE);
          }
      },
    });
    expect(forcedAtKill).toBeGreaterThan(0);
    // After the kill nothing renews the leases: once they lapse, with AC still out, each BBU's
    // converter carries on as native backup (no stop and re-trigger with the PSUs off) — the
    // native shelf, not a stuck command.
    const inst = sg0!.sim.instruments;
    const bbus = Array.from({ length: inst.bbuCount }, (_, i) => inst.bbu(i));
    expect(bbus.every((b) => b.state !== 'forced')).toBe(true);
    expect(bbus.reduce((n, b) => n + b.leaseFallbacks, 0)).toBeGreaterThan(0);
    expect(gw.loadDropped).toBe(false);
    expect(gw.control.ticks).toBeLessThan(killAtS * 1000 + 10);
  }, 120_000);

  it('excludes a BBU that does not answer on PMBus and still rides through on the others', async () => {
    const s = { ...libraryScenario('sag-0pu-150ms-at-80pct'), durationS: 3 };
    let excludedSeen = false;
    const gw = await runScenarioWithGateway(s, {
      onReady: ({ sg }) => sg.deadPmbus[0]!.add(0x42),
      onTick: ({ loop }) => {
        const v = loop.lastZoneView;
        if (v && v.bbus.some((b) => !b.healthy)) excludedSeen = true;
      },
    });
    expect(excludedSeen).toBe(true);
    expect(gw.bbuNativeTriggers).toBe(0);
    expect(gw.loadDropped).toBe(false);
    expect(gw.pfaprS!).toBeLessThanOrEqual(1);
  }, 120_000);

  it('counts garbled PMBus answers (bad PEC) as missing samples and carries on', async () => {
    const s = { ...libraryScenario('sag-0pu-150ms-at-80pct'), durationS: 3 };
    let n = 0;
    const gw = await runScenarioWithGateway(s, {
      corruptPmbus: (_shelf, _addr, _cmd, rx) => {
        if (++n % 50 === 0 && rx.length > 0) rx[rx.length - 1]! ^= 0x5a;
      },
    });
    expect(gw.control.readFailures).toBeGreaterThan(10);
    expect(gw.bbuNativeTriggers).toBe(0);
    expect(gw.loadDropped).toBe(false);
  }, 120_000);

  it('a dead fast lane sends the loop autonomous: no command stays in force past its lease', async () => {
    const s = { ...libraryScenario('sag-0pu-150ms-at-80pct'), durationS: 3 };
    const deathS = 1.0;
    let forcedAfter = 0;
    let autonomousSeen = false;
    const gw = await runScenarioWithGateway(s, {
      onTick: ({ sg, loop }) => {
        const inst = sg.sim.instruments;
        if (inst.tS >= deathS && sg.deadPmbus[0]!.size === 0)
          for (let a = 0x40; a < 0x64; a++) sg.deadPmbus[0]!.add(a);
        if (loop.mode === 'autonomous' && inst.tS > deathS) autonomousSeen = true;
        if (inst.tS > deathS + (LEASE + 5) / 1000)
          for (let i = 0; i < inst.bbuCount; i++) if (inst.bbu(i).state === 'forced') forcedAfter++;
      },
    });
    expect(autonomousSeen).toBe(true);
    expect(forcedAfter).toBe(0);
    // The sag at 2 s then meets the native shelf: its own trigger catches the bus.
    expect(gw.bbuNativeTriggers).toBeGreaterThan(0);
    expect(gw.loadDropped).toBe(false);
  }, 120_000);
});
