import type { Mode } from '../coordinator.js';
import type { ControlDevice, ReadPoint } from '../io/fast-lane-io.js';

/** Most reads one tick plans (12 PSUs + 12 BBUs of a large zone, each a few points). */
const MAX_READS = 256;

/**
 * Which fast-lane reads this tick makes, in priority order, without allocating: every PSU's
 * output (the load) unless the BBUs carry it, AC input from two PSUs in turn, the bus voltage
 * from one device in turn, a third of the BBUs' power per tick while any discharges (half while they carry the
 * load; else one in turn,
 * for the charge power), one EXT_STATUS in turn — two PSU statuses while recovering, where the
 * restart needs them — and one SoC every fourth tick. 11–14 word reads (0.6–0.8 ms at 1 MHz) per
 * tick on an HPR shelf; setpoint writes share the rest of the tick's bus budget.
 */
export class TickPlan {
  readonly dev = new Int32Array(MAX_READS);
  readonly point: ReadPoint[] = new Array<ReadPoint>(MAX_READS).fill('pout');
  length = 0;
  private turn = 0;

  constructor(
    private readonly devices: readonly ControlDevice[],
    private readonly psus: readonly number[],
    private readonly bbus: readonly number[],
  ) {}

  private add(i: number, p: ReadPoint): void {
    if (this.length >= MAX_READS) return;
    this.dev[this.length] = i;
    this.point[this.length] = p;
    this.length++;
  }

  private pick(list: readonly number[], k: number): number {
    return list[(this.turn + k) % list.length]!;
  }

  build(mode: Mode, bbusActive: boolean): void {
    this.length = 0;
    this.turn++;
    const { psus, bbus } = this;
    if (psus.length > 0) {
      this.add(this.pick(psus, 0), 'vin');
      if (psus.length > 1) this.add(this.pick(psus, 1), 'vin');
    }
    if (mode === 'ride') {
      for (let k = 0; k < Math.min(2, psus.length); k++) this.add(this.pick(psus, k), 'pout');
    } else for (const i of psus) this.add(i, 'pout');
    const busFrom = bbus.length > 0 ? bbus : psus;
    if (busFrom.length > 0) this.add(this.pick(busFrom, 0), 'busV');
    if (mode === 'ride' || mode === 'recover') {
      // The BBUs carry the load: half of them per tick keeps each reading ≤ 2 ms old.
      const half = Math.ceil(bbus.length / 2);
      for (let k = 0; k < half; k++)
        this.add(bbus[((this.turn & 1) * half + k) % bbus.length]!, 'pout');
    } else if (bbusActive) {
      // Assisting: a forced BBU delivers what it was commanded (it is power-capped), which the
      // view uses between reads; a third of them per tick keeps each reading ≤ 3 ms old.
      const third = Math.ceil(bbus.length / 3);
      for (let k = 0; k < third; k++)
        this.add(bbus[((this.turn % 3) * third + k) % bbus.length]!, 'pout');
    } else if (bbus.length > 0) this.add(this.pick(bbus, 0), 'pout');
    if (mode === 'recover' && psus.length > 0) {
      this.add(this.pick(psus, 0), 'extStatus');
      if (psus.length > 1) this.add(this.pick(psus, 1), 'extStatus');
    } else if (this.devices.length > 0) {
      this.add(this.turn % this.devices.length, 'extStatus');
    }
    // State of charge moves by < 0.01 %/ms even at rated discharge: one read every 4 ticks.
    if (bbus.length > 0 && (this.turn & 3) === 0)
      this.add(bbus[(this.turn >> 2) % bbus.length]!, 'soc');
  }
}
