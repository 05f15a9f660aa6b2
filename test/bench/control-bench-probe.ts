/**
 * What the control benches measure beside the run's result object, from simulator truth: when
 * things happened (lowest bus, first native trigger, first PSU overload, first load drop) and,
 * for bench:headroom, whether the BBUs' stored energy stayed above the backup reserve. The
 * bench may read the simulator's instruments; the gateway never does.
 */

/** The slice of sim/instruments.ts the probe reads (a fake in unit tests). */
export interface ProbeInstruments {
  readonly tS: number;
  readonly busV: number;
  readonly loadDropCount: number;
  readonly bbuCount: number;
  nativeTriggers(): number;
  psuOverloadEvents(): number;
  bbu(i: number): { readonly socPct: number };
}

export interface ReserveVerdict {
  /** The reserve judged against, Wh. */
  reserveWh: number;
  /** Lowest stored energy seen and when, Wh / s. */
  minStoredWh: number;
  minStoredAtS: number;
  /** minStoredWh − reserveWh (negative: the reserve was broken). */
  minMarginWh: number;
  /** First sample below the reserve, s, or null. */
  brokenAtS: number | null;
  /** Samples below the reserve, of `samples`. */
  brokenSamples: number;
  samples: number;
  intact: boolean;
}

/**
 * Judges "stored energy ≥ reserve at every sample". Stored energy is the BBUs' state of charge
 * times their usable pack energy (sim truth, not what the gateway estimates).
 */
export class ReserveJudge {
  private minWh = Infinity;
  private minAtS = 0;
  private brokenAt: number | null = null;
  private broken = 0;
  private n = 0;

  constructor(readonly reserveWh: number) {}

  sample(tS: number, storedWh: number): void {
    this.n++;
    if (storedWh < this.minWh) {
      this.minWh = storedWh;
      this.minAtS = tS;
    }
    if (storedWh < this.reserveWh) {
      this.broken++;
      if (this.brokenAt === null) this.brokenAt = tS;
    }
  }

  verdict(): ReserveVerdict {
    const min = this.n > 0 ? this.minWh : NaN;
    return {
      reserveWh: this.reserveWh,
      minStoredWh: min,
      minStoredAtS: this.minAtS,
      minMarginWh: min - this.reserveWh,
      brokenAtS: this.brokenAt,
      brokenSamples: this.broken,
      samples: this.n,
      // No sample is no evidence: an unjudged run does not pass.
      intact: this.n > 0 && this.broken === 0,
    };
  }
}

/** Energy stored in all BBUs, Wh: Σ SoC × usable pack energy. */
export function storedWh(inst: ProbeInstruments, packWh: number): number {
  let e = 0;
  for (let i = 0; i < inst.bbuCount; i++) e += (inst.bbu(i).socPct / 100) * packWh;
  return e;
}

export interface ProbeSummary {
  samples: number;
  minBusV: number;
  minBusAtS: number | null;
  firstNativeTriggerAtS: number | null;
  firstOverloadAtS: number | null;
  firstLoadDropAtS: number | null;
  reserve: ReserveVerdict | null;
}

/** Samples the instruments after every physics step (conventional) or control tick (gateway). */
export class RunProbe {
  private n = 0;
  private minBus = Infinity;
  private minBusAt: number | null = null;
  private trigAt: number | null = null;
  private overAt: number | null = null;
  private dropAt: number | null = null;
  private readonly judge: ReserveJudge | null;

  constructor(
    private readonly packWh: number,
    reserveWh: number | null,
  ) {
    this.judge = reserveWh === null ? null : new ReserveJudge(reserveWh);
  }

  sample(inst: ProbeInstruments): void {
    const t = inst.tS;
    this.n++;
    if (inst.busV < this.minBus) {
      this.minBus = inst.busV;
      this.minBusAt = t;
    }
    if (this.trigAt === null && inst.nativeTriggers() > 0) this.trigAt = t;
    if (this.overAt === null && inst.psuOverloadEvents() > 0) this.overAt = t;
    if (this.dropAt === null && inst.loadDropCount > 0) this.dropAt = t;
    this.judge?.sample(t, storedWh(inst, this.packWh));
  }

  summary(): ProbeSummary {
    return {
      samples: this.n,
      minBusV: this.minBus,
      minBusAtS: this.minBusAt,
      firstNativeTriggerAtS: this.trigAt,
      firstOverloadAtS: this.overAt,
      firstLoadDropAtS: this.dropAt,
      reserve: this.judge?.verdict() ?? null,
    };
  }
}
