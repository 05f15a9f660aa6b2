import type { BbuParams } from '../params.js';

export const BbuState = {
  /** Armed for the native trigger; charging when allowed. */
  Standby: 0,
  /** Bus below the native trigger, counting the dwell. */
  Dwell: 1,
  /** Triggered: start delay, then power ramp. */
  Starting: 2,
  /** Native backup discharge, regulating the bus at backupRegV. */
  Backup: 3,
  /** Commanded discharge (Modbus forced discharge or fast-lane setpoint), with an expiry. */
  Forced: 4,
  /** Discharge not allowed (empty, max discharge time used up) until AC-OK returns. */
  Inhibit: 5,
} as const;
export type BbuStateCode = (typeof BbuState)[keyof typeof BbuState];
export const BBU_STATE_NAMES = [
  'standby',
  'dwell',
  'starting',
  'backup',
  'forced',
  'inhibit',
] as const;

export interface BbuAlarms {
  packOverCurrent: boolean;
  fullyDischarged: boolean;
  fullyCharged: boolean;
  discharging: boolean;
  charging: boolean;
  maxTimeReached: boolean;
}

/**
 * One BBU: Li-ion pack (OCV vs SoC, internal resistance), boost discharge converter with droop
 * and power limit, charger, native trigger logic and the system-control commands.
 */
export class SimBbu {
  readonly index: number;
  readonly ratedW: number;
  readonly p: Readonly<BbuParams>;
  readonly capacityJ: number;
  state: BbuStateCode = BbuState.Standby;
  /** Chemical energy in the pack, J (SoC = energy / capacity). */
  energyJ: number;
  private dwellMs = 0;
  private startMs = 0;
  private dischargeMs = 0;
  private acOkMs = 0;
  private sinceDischargeMs = Infinity;
  /** Forced/commanded discharge: power setpoint and expiry (sim ms). */
  forcedW = 0;
  forcedExpiresMs = 0;
  /** Modbus system control: 0 = native, 1 = system control enabled (our reading of reg 306). */
  systemControlMode = 0;
  maxDischargeS: number;
  chargeLimitW: number | null = null;
  chargeLimitExpiresMs = 0;
  chargeDelayS: number;
  // Solver params and measurements.
  vregV = 0;
  pcapW = 0;
  icapA = 0;
  poutW = 0;
  chargeW = 0;
  packV = 0;
  packA = 0;
  busV = 0;
  lossW = 0;
  nativeTriggers = 0;
  commandedStarts = 0;
  /** Commanded discharges that ended (lease lapsed or 0 written) into native backup. */
  leaseFallbacks = 0;
  dischargeEvents = 0;
  readonly alarms: BbuAlarms = {
    packOverCurrent: false,
    fullyDischarged: false,
    fullyCharged: true,
    discharging: false,
    charging: false,
    maxTimeReached: false,
  };
  eOutJ = 0;
  eChargeInJ = 0;
  eLossJ = 0;

  constructor(index: number, ratedW: number, energyWh: number, p: Readonly<BbuParams>) {
    this.index = index;
    this.ratedW = ratedW;
    // Private fixed-shape copy (see SimPsu).
    this.p = { ...p, cellOcvCurveV: [...p.cellOcvCurveV] };
    this.capacityJ = energyWh * 3600;
    this.droopOhm = p.droopV / (ratedW / p.backupRegV);
    this.energyJ = (this.capacityJ * p.initialSocPct) / 100;
    this.maxDischargeS = p.maxDischargeS;
    this.chargeDelayS = p.chargeDelayS;
    this.packV = this.ocv();
  }

  get socPct(): number {
    return (100 * this.energyJ) / this.capacityJ;
  }

  /** Droop resistance of the discharge converter, Ω. */
  readonly droopOhm: number;

  /** Pack open-circuit voltage from the per-cell curve (0,10,…,100 % SoC). */
  ocv(): number {
    const c = this.p.cellOcvCurveV;
    const x = Math.max(0, Math.min(100, this.socPct)) / 10;
    const i = Math.min(c.length - 2, Math.floor(x));
    const f = x - i;
    return this.p.cells * (c[i]! + f * (c[i + 1]! - c[i]!));
  }

  get discharging(): boolean {
    return this.state === BbuState.Backup || this.state === BbuState.Forced;
  }

  /** OCV at the start of the current step (cached: the curve lookup is on the hot path). */
  private ocvV = 0;

  /** Highest output power the pack can deliver now without exceeding its current limit. */
  private packLimitedW(): number {
    const ocv = this.ocvV;
    const i = this.p.packCurrentLimitA;
    return Math.max(0, (ocv - i * this.p.packResistanceOhm) * i * this.p.dischargeEfficiency);
  }

  prepare(nowMs: number, dtMs: number, busV: number, shelfAcOk: boolean): void {
    const p = this.p;
    this.ocvV = this.ocv();
    this.acOkMs = shelfAcOk ? this.acOkMs + dtMs : 0;
    if (this.chargeLimitW !== null && nowMs >= this.chargeLimitExpiresMs) this.chargeLimitW = null;
    const below = busV < p.nativeTriggerV;
    const empty = this.energyJ <= 0;
    switch (this.state) {
      case BbuState.Standby:
        if (below && !empty) {
          this.state = BbuState.Dwell;
          this.dwellMs = dtMs;
        } else if (this.forcedExpiresMs > nowMs && this.forcedW > 0 && !empty) {
          this.enterDischarge(BbuState.Forced);
          this.commandedStarts++;
        }
        break;
      case BbuState.Dwell:
        if (!below) this.state = BbuState.Standby;
        else {
          this.dwellMs += dtMs;
          if (this.dwellMs >= p.nativeDwellMs) this.nativeTrigger();
        }
        break;
      case BbuState.Starting:
        this.startMs += dtMs;
        if (this.startMs >= p.startDelayMs + p.startRampMs) this.state = BbuState.Backup;
        break;
      case BbuState.Backup:
        if (this.acOkMs >= p.stopAfterAcOkMs) this.endDischarge(BbuState.Standby);
        break;
      case BbuState.Forced:
        if (nowMs >= this.forcedExpiresMs || this.forcedW <= 0) {
          this.forcedW = 0;
          // Back to native control, not to a cold start: while the shelf's AC is not back (for
          // the time native backup waits before it stops), the converter that is already
          // running stays on as native backup — what the native rule would be doing now —
          // instead of stopping and re-triggering through dwell and start-up with the PSUs off.
          if (this.acOkMs < p.stopAfterAcOkMs) {
            this.state = BbuState.Backup;
            this.dwellMs = 0;
            this.leaseFallbacks++;
          } else this.endDischarge(BbuState.Standby);
        } else if (below) {
          // The native rule still guards the bus under a command that asks too little.
          this.dwellMs += dtMs;
          if (this.dwellMs >= p.nativeDwellMs) {
            this.forcedW = 0;
            this.forcedExpiresMs = 0;
            this.nativeTriggers++;
            this.state = BbuState.Backup;
          }
        } else this.dwellMs = 0;
        break;
      case BbuState.Inhibit:
        if (shelfAcOk) this.state = BbuState.Standby;
        break;
    }
    if (this.discharging) {
      if (empty) {
        this.alarms.fullyDischarged = true;
        this.endDischarge(BbuState.Inhibit);
      } else if (this.maxDischargeS > 0 && this.dischargeMs >= this.maxDischargeS * 1000) {
        this.alarms.maxTimeReached = true;
        this.endDischarge(BbuState.Inhibit);
      }
    }
    this.setSource(busV);
  }

  private setSource(busV: number): void {
    const p = this.p;
    const packW = this.packLimitedW();
    this.icapA = Infinity;
    if (this.state === BbuState.Backup) {
      this.vregV = p.backupRegV;
      this.pcapW = Math.min(this.ratedW * p.dischargeLimitRatio, packW);
    } else if (this.state === BbuState.Forced) {
      this.vregV = p.forcedRegV;
      // The same converter as in native backup: a command may use its short-term overload too.
      this.pcapW = Math.min(this.forcedW, this.ratedW * p.dischargeLimitRatio, packW);
    } else if (this.state === BbuState.Starting && this.startMs > p.startDelayMs) {
      const f = Math.min(1, (this.startMs - p.startDelayMs) / p.startRampMs);
      this.vregV = p.backupRegV;
      this.pcapW = Math.min(this.ratedW * p.dischargeLimitRatio, packW) * f;
    } else {
      this.vregV = 0;
      this.pcapW = 0;
      this.icapA = 0;
    }
    this.alarms.packOverCurrent = this.discharging && packW < this.ratedW;
    // Charger: a constant-power sink on the bus while armed, AC-OK and not just discharged.
    let charge = 0;
    if (
      this.state === BbuState.Standby &&
      this.energyJ < this.capacityJ &&
      busV >= p.nativeTriggerV &&
      this.acOkMs > 0 &&
      this.sinceDischargeMs >= this.chargeDelayS * 1000
    ) {
      const limit = this.chargeLimitW ?? this.ratedW * p.chargeRatio;
      const soc = this.socPct;
      const taper = soc <= p.chargeTaperStartPct ? 1 : (100 - soc) / (100 - p.chargeTaperStartPct);
      charge = Math.max(0, limit * taper);
    }
    this.chargeW = charge;
  }

  /** Power drawn from the bus by the charger and housekeeping, W. */
  busSinkW(): number {
    return this.chargeW + this.p.standbyW;
  }

  commit(dtMs: number, v1: number, iout: number): void {
    const p = this.p;
    const dtS = dtMs / 1000;
    this.busV = v1;
    const pout = v1 * iout;
    this.poutW = pout;
    const ocv = this.ocvV;
    let chemW = 0;
    let loss = p.standbyW;
    if (pout > 0) {
      // Pack current from P_pack = (OCV − I·R)·I.
      const ppack = pout / p.dischargeEfficiency;
      const disc = ocv * ocv - 4 * p.packResistanceOhm * ppack;
      const i =
        disc > 0
          ? (ocv - Math.sqrt(disc)) / (2 * p.packResistanceOhm)
          : ocv / (2 * p.packResistanceOhm);
      this.packA = -i;
      this.packV = ocv - i * p.packResistanceOhm;
      chemW = -ocv * i;
      loss += ppack - pout + i * i * p.packResistanceOhm;
      this.dischargeMs += dtMs;
    } else if (this.chargeW > 0) {
      const intoPack = this.chargeW * p.chargeEfficiency;
      const i = intoPack / ocv;
      this.packA = i;
      this.packV = ocv + i * p.packResistanceOhm;
      // Charger loss and I²R both come out of the bus-side power; the rest is stored.
      const ir = i * i * p.packResistanceOhm;
      chemW = intoPack - ir;
      loss += this.chargeW - intoPack + ir;
    } else {
      this.packA = 0;
      this.packV = ocv;
    }
    this.energyJ = Math.min(this.capacityJ, Math.max(0, this.energyJ + chemW * dtS));
    this.lossW = loss;
    this.eOutJ += pout * dtS;
    this.eChargeInJ += this.chargeW * dtS;
    this.eLossJ += loss * dtS;
    if (!this.discharging) this.sinceDischargeMs += dtMs;
    this.alarms.discharging = this.discharging;
    this.alarms.charging = this.chargeW > 0;
    const soc = this.socPct;
    this.alarms.fullyCharged = soc >= 99.95;
    if (soc > 1) this.alarms.fullyDischarged = false;
  }

  private nativeTrigger(): void {
    this.nativeTriggers++;
    this.state = BbuState.Starting;
    this.startMs = 0;
    this.dischargeMs = 0;
    this.dischargeEvents++;
  }

  private enterDischarge(s: BbuStateCode): void {
    this.state = s;
    this.dischargeMs = 0;
    this.dwellMs = 0;
    this.dischargeEvents++;
  }

  private endDischarge(next: BbuStateCode): void {
    this.state = next;
    this.sinceDischargeMs = 0;
    this.dwellMs = 0;
  }

  /** Commanded discharge at up to powerW for durationMs; 0 W or 0 ms cancels. */
  commandDischarge(nowMs: number, powerW: number, durationMs: number): void {
    this.forcedW = Math.max(0, powerW);
    this.forcedExpiresMs = durationMs > 0 ? nowMs + durationMs : 0;
  }

  /** How long nothing inside this BBU changes state on its own (ms); see SimPsu.quietForMs. */
  quietForMs(nowMs: number): number {
    const p = this.p;
    let t = Infinity;
    switch (this.state) {
      case BbuState.Dwell:
      case BbuState.Starting:
        return 0;
      case BbuState.Standby:
        if (this.forcedW > 0 && this.forcedExpiresMs > nowMs) return 0;
        if (this.sinceDischargeMs < this.chargeDelayS * 1000)
          t = this.chargeDelayS * 1000 - this.sinceDischargeMs;
        break;
      case BbuState.Backup:
      case BbuState.Forced: {
        if (this.state === BbuState.Forced) t = this.forcedExpiresMs - nowMs;
        else if (this.acOkMs > 0) t = p.stopAfterAcOkMs - this.acOkMs;
        if (this.maxDischargeS > 0) t = Math.min(t, this.maxDischargeS * 1000 - this.dischargeMs);
        // Never step across the empty point: at the present draw, with a 2× margin.
        const chemW = this.poutW / p.dischargeEfficiency;
        if (chemW > 0) t = Math.min(t, (500 * this.energyJ) / chemW);
        break;
      }
      default:
        break;
    }
    if (this.chargeLimitW !== null) t = Math.min(t, this.chargeLimitExpiresMs - nowMs);
    return t;
  }

  get inTransient(): boolean {
    return this.state === BbuState.Dwell || this.state === BbuState.Starting;
  }

  /** Power available to the bus now if discharging, W. */
  dischargeCapacityW(): number {
    return this.discharging ? this.pcapW : 0;
  }
}
