/**
 * The lease writer's bus budget: setpoint changes that do not fit in the tick wait for the next
 * one, largest first; discharge stops go before renewals and changes; a lease past half its
 * length is renewed whatever the budget; nothing deferred is lost (it is written on a later
 * tick). Runs over the real FastLaneIo on a simulated shelf's PMBus segment.
 */
import { describe, expect, it } from 'vitest';
import { SyncPmbusClient } from '../../../src/bus/pmbus/index.js';
import {
  controlConfig,
  FAMILY_FACTS,
  FastLaneIo,
  type ControlDevice,
  type Decision,
} from '../../../src/control/index.js';
import { LeaseWriter } from '../../../src/control/loop/lease-writer.js';
import { SampleStore } from '../../../src/control/loop/samples.js';
import { simulatedSmbusAdapter } from '../../../src/simlink/wires.js';
import { demoScenarioJson } from '../../../sim/demo.js';
import { parseScenario } from '../../../sim/scenario/index.js';
import { Simulation } from '../../../sim/simulation.js';

function rig() {
  const sim = new Simulation(parseScenario(demoScenarioJson(60)));
  const seg = new SyncPmbusClient(simulatedSmbusAdapter(sim.devices, 0, sim.clock, 1_000_000));
  const io = new FastLaneIo([seg]);
  const devices: ControlDevice[] = sim.devices.list().map((d) => ({
    id: `${d.kind}-${d.modbusAddress}`,
    kind: d.kind,
    unit: d.modbusAddress,
    segment: d.shelf,
    address: d.pmbusAddress,
    ratedW: FAMILY_FACTS[d.family]?.ratedW ?? 0,
  }));
  const cfg = controlConfig({ nominalVac: 277 });
  const writer = new LeaseWriter(io, devices, cfg, sim.clock);
  for (const d of devices) {
    io.init(d);
    writer.verifyLeases(d);
  }
  const bbuIdx = devices.flatMap((d, i) => (d.kind === 'bbu' ? [i] : []));
  const ready = new Uint8Array(devices.length).fill(1);
  const samples = new SampleStore(devices);
  const seg0 = new Float64Array(1);
  const charge = (): number => {
    io.takeBusTime(seg0);
    return seg0[0]!;
  };
  charge();
  const decision = (dischargeW: number[]): Decision => ({
    mode: 'normal',
    dischargeW: Float64Array.from(dischargeW),
    chargeW: new Float64Array(bbuIdx.length).fill(NaN),
    restart: null,
    hold: false,
    throttle: false,
    wantedW: 0,
    grantedW: 0,
    outage: false,
    reserveLoadW: 0,
  });
  const readBack = (): number[] => bbuIdx.map((i) => io.readSetpoint(devices[i]!, 'bbuDischargeW'));
  return { sim, io, devices, writer, bbuIdx, ready, samples, charge, decision, readBack };
}

describe('LeaseWriter bus budget', () => {
  it('writes the largest changes first within the budget and the rest on later ticks', () => {
    const r = rig();
    const n = r.bbuIdx.length;
    expect(n).toBeGreaterThanOrEqual(4);
    const want = Array.from({ length: n }, (_, j) => 500 + 300 * j);
    // Budget for about two word writes (each ~50 µs at 1 MHz).
    const out = r.writer.apply(
      r.decision(want),
      r.bbuIdx,
      r.ready,
      r.samples,
      r.sim.clock.nowMs(),
      r.charge,
      120,
    );
    expect(out.writes).toBe(2);
    expect(out.busUs).toBeGreaterThan(60);
    expect(out.busUs).toBeLessThanOrEqual(120);
    expect(r.writer.deferred).toBe(n - 2);
    const after1 = r.readBack();
    // The two largest targets went first.
    expect(after1[n - 1]).toBe(want[n - 1]);
    expect(after1[n - 2]).toBe(want[n - 2]);
    expect(after1.slice(0, n - 2).every((w) => w === 0)).toBe(true);
    // Nothing is lost: later ticks with room write the rest.
    for (let k = 0; k < n; k++)
      r.writer.apply(
        r.decision(want),
        r.bbuIdx,
        r.ready,
        r.samples,
        r.sim.clock.nowMs(),
        r.charge,
        120,
      );
    expect(r.readBack()).toEqual(want);
  });

  it('puts discharge stops before changes, and renews a lease past half its length regardless', () => {
    const r = rig();
    const n = r.bbuIdx.length;
    const on = Array.from({ length: n }, () => 1000);
    r.writer.apply(r.decision(on), r.bbuIdx, r.ready, r.samples, r.sim.clock.nowMs(), r.charge);
    expect(r.readBack()).toEqual(on);
    // One stop and large changes elsewhere, room for one write: the stop goes.
    const mixed = on.map((_, j) => (j === 0 ? 0 : 4000));
    r.writer.apply(
      r.decision(mixed),
      r.bbuIdx,
      r.ready,
      r.samples,
      r.sim.clock.nowMs(),
      r.charge,
      60,
    );
    const back = r.readBack();
    expect(back[0]).toBe(0);
    expect(back.slice(1).every((w) => w === 1000)).toBe(true);
    // 130 ms later (past half the 250 ms lease) with no budget at all: every held setpoint is
    // renewed anyway, so no lease lapses for want of bus time.
    r.sim.advanceTo(Math.round((r.sim.clock.nowMs() + 130) * 1000));
    const out = r.writer.apply(
      r.decision(back),
      r.bbuIdx,
      r.ready,
      r.samples,
      r.sim.clock.nowMs(),
      r.charge,
      0,
    );
    expect(out.writes).toBe(n - 1);
    for (let j = 1; j < n; j++) expect(r.writer.dischargeInForce(j)).toBe(1000);
  });

  it('releaseAll hands every held setpoint back: discharges to 0, hold arms disarmed', () => {
    const r = rig();
    const n = r.bbuIdx.length;
    const on = Array.from({ length: n }, () => 800);
    const d = { ...r.decision(on), hold: true };
    // Enough ticks for the two-per-tick hold renewals to reach every PSU.
    for (let k = 0; k < 8; k++)
      r.writer.apply(d, r.bbuIdx, r.ready, r.samples, r.sim.clock.nowMs(), r.charge);
    expect(r.readBack()).toEqual(on);
    const psus = r.devices.filter((x) => x.kind === 'psu');
    expect(psus.every((p) => r.io.readSetpoint(p, 'psuHold') === 1)).toBe(true);
    const writes = r.writer.releaseAll(r.bbuIdx, r.ready, r.charge);
    expect(writes).toBe(n + psus.length);
    expect(r.readBack()).toEqual(on.map(() => 0));
    expect(psus.every((p) => r.io.readSetpoint(p, 'psuHold') === 0)).toBe(true);
    expect(r.writer.anyDischarge()).toBe(false);
    // Nothing left to release.
    expect(r.writer.releaseAll(r.bbuIdx, r.ready, r.charge)).toBe(0);
  });
});
