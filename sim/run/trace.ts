import type { Instruments } from '../instruments.js';

/** Decimated CSV trace of a run: one row per `everyMs` of simulated time. */
export class TraceWriter {
  private nextUs = 0;
  private readonly everyUs: number;

  constructor(
    private readonly inst: Instruments,
    private readonly sink: (line: string) => void,
    everyMs: number,
  ) {
    this.everyUs = Math.max(1, Math.round(everyMs * 1000));
    sink(
      't_s,grid_pu,vac_v,bus_v,load_demand_w,load_served_w,grid_w,bbu_discharge_w,min_soc_pct,' +
        'psus_running,bbus_discharging,native_triggers,psu_overload_events',
    );
  }

  update(): void {
    const i = this.inst;
    if (i.tUs < this.nextUs) return;
    this.nextUs = i.tUs - (i.tUs % this.everyUs) + this.everyUs;
    const ps = i.psuStateCounts();
    const bs = i.bbuStateCounts();
    this.sink(
      [
        i.tS.toFixed(6),
        i.gridPu.toFixed(4),
        i.vacV.toFixed(1),
        i.busV.toFixed(4),
        i.loadDemandW.toFixed(1),
        i.loadServedW.toFixed(1),
        i.gridW.toFixed(1),
        i.bbuDischargeW().toFixed(1),
        i.minSocPct().toFixed(3),
        ps['running'] ?? 0,
        (bs['backup'] ?? 0) + (bs['forced'] ?? 0),
        i.nativeTriggers(),
        i.psuOverloadEvents(),
      ].join(','),
    );
  }
}
