import type { SyncPmbusClient } from '../bus/pmbus/index.js';
import {
  ControlLoop,
  FAMILY_FACTS,
  FastLaneIo,
  type ControlConfig,
  type ControlDevice,
  type LoadForecaster,
  type AcSensor,
} from '../control/index.js';
import type { Gateway } from './gateway.js';

export interface StartControlOptions {
  /** The loop's blocking PMBus client per segment (shelf index). */
  readonly segments: readonly SyncPmbusClient[];
  readonly config?: Partial<ControlConfig>;
  /** Simulation only: charges bus time as elapsed time (see ControlLoop). */
  readonly elapse?: (us: number) => void;
  readonly forecaster?: LoadForecaster;
  readonly acSensor?: AcSensor;
}

/**
 * Joins the control loop to the gateway: the devices discovered on Modbus that have a fast
 * lane become control devices (same ids as the north side), BBU capacity comes from the slow
 * lane's Full_Charge_Capacity, the power cap from the north side's command sink, and the loop's
 * decisions go to the gateway's journal.
 */
export function createControlLoop(gw: Gateway, o: StartControlOptions): ControlLoop {
  const devices: ControlDevice[] = [];
  for (const d of gw.deviceDrivers) {
    const address = d.pmbusAddress;
    const segment = gw.shelfOfUnit(d.unit);
    if (address === undefined || segment === undefined || o.segments[segment] === undefined)
      continue;
    devices.push({
      id: `${d.kind}-${d.unit}`,
      kind: d.kind,
      unit: d.unit,
      segment,
      address,
      ratedW: FAMILY_FACTS[d.family]?.ratedW ?? 0,
    });
  }
  const cellsOf = new Map(
    gw.deviceDrivers.map((d) => [`${d.kind}-${d.unit}`, FAMILY_FACTS[d.family]?.cells ?? 0]),
  );
  const io = new FastLaneIo(o.segments);
  let loop: ControlLoop | undefined = undefined;
  loop = new ControlLoop({
    clock: gw.clock,
    io,
    devices,
    ...(o.config ? { config: o.config } : {}),
    ...(o.elapse ? { elapse: o.elapse } : {}),
    ...(o.forecaster ? { forecaster: o.forecaster } : {}),
    ...(o.acSensor ? { acSensor: o.acSensor } : {}),
    journal: gw.journal,
    powerCapW: () => gw.commands.powerCapW,
    bbuCapacityWh: (id) => {
      const unit = Number(id.slice(4));
      const t = gw.bbu(unit);
      const cells = cellsOf.get(id) ?? 0;
      if (!t || !(t.charge.fullChargeAh > 0) || cells === 0) return undefined;
      return t.charge.fullChargeAh * cells * (loop?.cfg.bbuNominalCellV ?? 3.6);
    },
  });
  const built = loop;
  gw.attachControlStatus(() => ({
    mode: built.mode,
    ticks: built.stats.ticks,
    overruns: built.stats.overruns,
    throttleRequested: built.throttleRequested,
  }));
  // Workload hints from the north side (MQTT hint topic, Redfish) feed the predictor forward.
  gw.commands.hintListeners.add((h) => loop?.hint(h.deltaW, h.leadMs, h.rampMs));
  return loop;
}
