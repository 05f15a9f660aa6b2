import type { PsuParams } from '../params.js';
import type { Rng } from '../rng.js';

/** Life-cycle of a simulated PSU; numeric for speed in the step loop. */
export const PsuState = {
  /** Controller unpowered (AC gone and bulk exhausted, or never started). */
  OffCold: 0,
  /** Controller cold-booting with the random inrush stagger (conventional restart). */
  Booting: 1,
  /** Output current limit ramping up; stays here while the output is current-limited. */
  SoftStart: 2,
  /** PFC on, output regulating on its droop line. */
  Running: 3,
  /** PFC off (AC out of range), DC/DC running from the bulk capacitor. */
  Holdup: 4,
  /** Output off, controller kept alive from the bus auxiliary path (gateway lever). */
  OffAux: 5,
  /** Over-current shutdown, waiting for the hiccup retry or a Clear_Faults. */
  FaultOc: 6,
  /** Turned off by command (PMBus OPERATION / Modbus power cycle), controller alive. */
  OffCommanded: 7,
} as const;
export type PsuStateCode = (typeof PsuState)[keyof typeof PsuState];
export const PSU_STATE_NAMES = [
  'off-cold',
  'booting',
  'soft-start',
  'running',
  'holdup',
  'off-aux',
  'fault-oc',
  'off-commanded',
] as const;

/** Load fractions at which PsuParams.efficiencyCurve is given. */
const EFFICIENCY_POINTS = [0.1, 0.2, 0.5, 1.0] as const;

/** Alarm bits the physics raises; the register façade maps them onto each family's registers. */
export interface PsuAlarms {
  acUvp: boolean;
  acOvp: boolean;
  freqLow: boolean;
  freqHigh: boolean;
  bulkNotOk: boolean;
  mainOcp: boolean;
  mainUvp: boolean;
  pulseFoldback: boolean;
}

/**
 * One PSU: PFC + bulk capacitor + DC/DC with droop, pulse capability and fold-back, controller
 * life-cycle. The shelf calls prepare() → (bus solve) → commit() every step.
 */
export class SimPsu {
  readonly index: number;
  readonly ratedW: number;
  readonly ratedA: number;
  readonly p: Readonly<PsuParams>;
  private readonly rng: Rng;
  private readonly bulkCapF: number;
  private readonly eBulkNominal: number;

  state: PsuStateCode = PsuState.Running;
  /** Setting register bit 9: 51 V (true) or 48 V output. */
  vsel51 = true;
  vsetHighV: number;
  vsetLowV: number;
  /** Active output current limit this step (A) and the source params handed to the solver. */
  icapA = 0;
  vregV = 0;
  pcapW = 0;
  // Measurements, updated in commit().
  vacV = 0;
  /** AC input as the PSU measures and reports it (READ_VIN): a lagging RMS, V. */
  vinMeasV = NaN;
  private vinSq = NaN;
  freqHz = 0;
  voutV = 0;
  ioutA = 0;
  poutW = 0;
  pinW = 0;
  lossW = 0;
  bulkV: number;
  tempInletC: number;
  tempOutletC: number;
  // Internal timers (ms unless noted).
  private bootRemainingMs = 0;
  private softStartMs = 0;
  private pulseAccMs = 0;
  folded = false;
  /** Above rated on the pulse budget this step (the fold-back time needs fine steps). */
  private pulsing = false;
  private uvpMs = 0;
  private tailMs = 0;
  private retryMs = 0;
  // Counters visible in registers.
  acOutageCount = 0;
  acPowerCycleCount = 0;
  faultCount = 0;
  overloadEvents = 0;
  /** Last drawn cold-boot delay (s), for tests and reports. */
  lastRestartDelayS: number | null = null;
  // Commands with expiry (ms of sim time; null = none).
  powerLimitW: number | null = null;
  powerLimitExpiresMs = 0;
  auxHold = false;
  auxHoldExpiresMs = 0;
  restartRequested = false;
  commandedOff = false;
  /** Manual fault injection (tests, HIL parity): forces an OC-style latch. */
  injectedFault = false;
  readonly alarms: PsuAlarms = {
    acUvp: false,
    acOvp: false,
    freqLow: false,
    freqHigh: false,
    bulkNotOk: false,
    mainOcp: false,
    mainUvp: false,
    pulseFoldback: false,
  };
  // Energy books (J).
  eGridJ = 0;
  eOutJ = 0;
  eLossJ = 0;

  constructor(index: number, ratedW: number, params: Readonly<PsuParams>, rng: Rng) {
    this.index = index;
    this.ratedW = ratedW;
    // A private copy with a fixed shape: scenario-merged params may arrive frozen or in
    // dictionary mode, which makes every hot-path read a hash lookup.
    this.p = { ...params, efficiencyCurve: [...params.efficiencyCurve] };
    this.rng = rng;
    this.ratedA = ratedW / params.nominalOutV;
    this.droopOhm = params.droopV / this.ratedA;
    this.contW = ratedW * params.continuousLimitRatio;
    this.pulseW = ratedW * params.pulseLimitRatio;
    this.minRegV = 0.9 * params.nominalOutV;
    // Size the bulk capacitor from the hold-up fact: rated power for holdupMsAtRated between
    // the nominal and the minimum regulating bulk voltage (incl. conversion loss).
    const eHold = (ratedW / this.efficiency(1)) * (params.holdupMsAtRated / 1000);
    this.bulkCapF = (2 * eHold) / (params.bulkNominalV ** 2 - params.bulkMinRegV ** 2);
    this.eBulkNominal = 0.5 * this.bulkCapF * params.bulkNominalV ** 2;
    this.bulkV = params.bulkNominalV;
    this.vsetHighV = params.vsetHighV;
    this.vsetLowV = params.vsetLowV;
    this.tempInletC = params.inletTempC;
    this.tempOutletC = params.inletTempC;
  }

  get vsetV(): number {
    return this.vsel51 ? this.vsetHighV : this.vsetLowV;
  }

  /** Droop resistance, Ω: droopV across 0–100 % of rated current. */
  readonly droopOhm: number;
  /** Continuous and pulse output power limits, W. */
  readonly contW: number;
  readonly pulseW: number;
  /** Bus voltage below which the current limit, not the power limit, binds. */
  private readonly minRegV: number;

  get bulkEnergyJ(): number {
    return 0.5 * this.bulkCapF * this.bulkV * this.bulkV;
  }

  /** PFC running and AC in range: what the PSU reports as AC OK. */
  get acOk(): boolean {
    return this.state === PsuState.Running || this.state === PsuState.SoftStart;
  }

  get outputOn(): boolean {
    return (
      this.state === PsuState.Running ||
      this.state === PsuState.SoftStart ||
      this.state === PsuState.Holdup
    );
  }

  get controllerAlive(): boolean {
    return this.state !== PsuState.OffCold;
  }

  /** Efficiency at a load fraction, interpolated on the 10/20/50/100 % curve. */
  efficiency(x: number): number {
    const c = this.p.efficiencyCurve;
    const xs = EFFICIENCY_POINTS;
    if (x <= xs[0]!) return c[0]!;
    for (let i = 1; i < xs.length; i++) {
      if (x <= xs[i]!) {
        const f = (x - xs[i - 1]!) / (xs[i]! - xs[i - 1]!);
        return c[i - 1]! + f * (c[i]! - c[i - 1]!);
      }
    }
    return c[c.length - 1]!;
  }

  /** DC/DC conversion loss at an output power (W); zero at zero output. */
  conversionLossW(poutW: number): number {
    if (poutW <= 0) return 0;
    const x = poutW / this.ratedW;
    return poutW * (1 / this.efficiency(x) - 1);
  }

  private acGood(vac: number, hz: number, running: boolean): boolean {
    const lo = running ? this.p.pfcCutoffVac : this.p.pfcRestartVac;
    return vac >= lo && vac <= this.p.acOvpVac && hz >= this.p.freqMinHz && hz <= this.p.freqMaxHz;
  }

  /** Output power limit from the derating band (180–198 V) and any commanded limit. */
  /**
   * Output power limit: the pulse or continuous limit, the derating band (180–198 V) and any
   * commanded limit. The current limit follows it (binding only once the bus is below 90 % of
   * nominal), so the PSU is a power-limited source, as its rating is.
   */
  private powerCapW(vac: number, nowMs: number, base: number): number {
    let cap = base;
    if (vac < this.p.derateStartVac) {
      const f = Math.max(
        0,
        Math.min(1, (vac - this.p.pfcCutoffVac) / (this.p.derateStartVac - this.p.pfcCutoffVac)),
      );
      cap = Math.min(cap, this.ratedW * (this.p.derateMinRatio + f * (1 - this.p.derateMinRatio)));
    }
    if (this.powerLimitW !== null) {
      if (nowMs >= this.powerLimitExpiresMs) this.powerLimitW = null;
      else cap = Math.min(cap, this.powerLimitW);
    }
    return cap;
  }

  /** State transitions that depend on inputs at the start of the step; sets the solver source. */
  prepare(nowMs: number, dtMs: number, vac: number, hz: number, busV: number): void {
    const p = this.p;
    this.vacV = vac;
    this.freqHz = hz;
    // First-order RMS of the input (exact for a step held over dt, so coarse steps stay right).
    if (Number.isNaN(this.vinSq)) this.vinSq = vac * vac;
    else this.vinSq += (vac * vac - this.vinSq) * (1 - Math.exp(-dtMs / p.vinMeasureTauMs));
    this.vinMeasV = Math.sqrt(this.vinSq);
    const running = this.state === PsuState.Running || this.state === PsuState.SoftStart;
    const good = this.acGood(vac, hz, running);
    this.alarms.acUvp = vac < (running ? p.pfcCutoffVac : p.pfcRestartVac);
    this.alarms.acOvp = vac > p.acOvpVac;
    this.alarms.freqLow = hz < p.freqMinHz;
    this.alarms.freqHigh = hz > p.freqMaxHz;
    if (this.auxHold && nowMs >= this.auxHoldExpiresMs) this.auxHold = false;

    switch (this.state) {
      case PsuState.Running:
      case PsuState.SoftStart:
        if (this.injectedFault) this.tripOc();
        else if (this.commandedOff) this.state = PsuState.OffCommanded;
        else if (!good) {
          this.state = PsuState.Holdup;
          this.tailMs = 0;
          this.acOutageCount++;
        }
        break;
      case PsuState.Holdup:
        if (this.bulkV < p.bulkMinRegV) this.tailMs += dtMs;
        if (good && this.tailMs === 0) {
          // AC back before the hold-up ran out: the PFC resumes, the ride-through succeeded.
          this.state = PsuState.Running;
        } else if (this.bulkV <= p.bulkOffV || this.tailMs >= p.tailMaxMs) {
          // Hold-up over: the PSU has declared AC fail; AC returning now means a restart.
          this.alarms.bulkNotOk = true;
          this.tailMs = 0;
          if (this.auxHold && busV >= p.auxHoldMinBusV) this.state = PsuState.OffAux;
          else this.loseController();
        }
        break;
      case PsuState.OffCold:
        if (good) this.startColdBoot();
        break;
      case PsuState.Booting:
        if (!good) this.state = PsuState.OffCold;
        else {
          this.bootRemainingMs -= dtMs;
          if (this.bootRemainingMs <= 0) this.beginSoftStart();
        }
        break;
      case PsuState.OffAux:
        if (!this.auxHold || busV < p.auxHoldMinBusV) this.loseController();
        else if (this.restartRequested && good) this.beginSoftStart();
        break;
      case PsuState.FaultOc:
        this.retryMs -= dtMs;
        if (this.retryMs <= 0 && good && !this.injectedFault) this.beginSoftStart();
        break;
      case PsuState.OffCommanded:
        if (!this.commandedOff && good) this.beginSoftStart();
        else if (!good && this.bulkV <= p.bulkOffV && !this.auxHold) this.loseController();
        break;
    }
    this.restartRequested = false;
    this.setSource(nowMs, vac);
  }

  private setSource(nowMs: number, vac: number): void {
    const p = this.p;
    if (this.state === PsuState.Running) {
      this.vregV = this.vsetV;
      this.pcapW = this.powerCapW(vac, nowMs, this.folded ? this.contW : this.pulseW);
      this.icapA = this.pcapW / this.minRegV;
    } else if (this.state === PsuState.SoftStart) {
      this.vregV = this.vsetV;
      const ramp = Math.min(1, this.softStartMs / p.softStartMs);
      this.pcapW = this.powerCapW(vac, nowMs, this.contW * ramp);
      this.icapA = this.pcapW / this.minRegV;
    } else if (this.state === PsuState.Holdup) {
      // Below the minimum regulating bulk voltage the DC/DC loses regulation and its output
      // falls with the bulk voltage: the hold-up tail.
      const f = this.bulkV >= p.bulkMinRegV ? 1 : this.bulkV / p.bulkMinRegV;
      this.vregV = this.vsetV * f;
      this.pcapW = this.folded ? this.contW : this.pulseW;
      this.icapA = this.pcapW / this.minRegV;
    } else {
      this.vregV = 0;
      this.icapA = 0;
      this.pcapW = 0;
    }
  }

  /** Housekeeping power drawn from the bus (controller on the aux path), W. */
  busSinkW(): number {
    return this.state === PsuState.OffAux || this.state === PsuState.OffCommanded
      ? this.p.standbyW
      : 0;
  }

  /** Book the step once the bus voltage v1 and this PSU's current are known. */
  commit(dtMs: number, v1: number, iout: number): void {
    const p = this.p;
    const dtS = dtMs / 1000;
    this.voutV = this.outputOn ? v1 : 0;
    this.ioutA = iout;
    const pout = v1 * iout;
    this.poutW = pout;
    const conv = this.conversionLossW(pout);
    let pin = 0;
    let loss = conv;
    const pfcOn =
      this.state === PsuState.Running ||
      this.state === PsuState.SoftStart ||
      this.state === PsuState.Booting;
    if (pfcOn) {
      // The PFC also tops the bulk capacitor up (inrush-limited) after a hold-up or a cold start.
      const deficitJ = this.eBulkNominal - this.bulkEnergyJ;
      // A sub-microjoule deficit is rounding, not a discharged capacitor.
      const rechargeW =
        deficitJ > 1e-6 ? Math.min(p.bulkRechargeRatio * this.ratedW, deficitJ / dtS) : 0;
      pin = pout + conv + p.standbyW + rechargeW;
      loss += p.standbyW;
      if (rechargeW > 0) this.addBulkEnergy(rechargeW * dtS);
    } else if (this.state === PsuState.Holdup) {
      const draw = (pout + conv + p.standbyW) * dtS;
      loss += p.standbyW;
      this.addBulkEnergy(-draw);
    } else if (this.state === PsuState.OffAux || this.state === PsuState.OffCommanded) {
      loss += p.standbyW;
    }
    this.pinW = pin;
    this.lossW = loss;
    this.eGridJ += pin * dtS;
    this.eOutJ += pout * dtS;
    this.eLossJ += loss * dtS;
    this.updatePulse(dtMs, v1, iout);
    if (this.state === PsuState.SoftStart) {
      this.softStartMs += dtMs;
      const inRegulation = !this.limited(v1, iout);
      if (this.softStartMs >= p.softStartMs && inRegulation) this.state = PsuState.Running;
    }
    this.tempOutletC = this.tempInletC + (p.tempRisePer100WC * loss) / 100;
    this.alarms.bulkNotOk = this.bulkV < p.bulkMinRegV;
  }

  private addBulkEnergy(dJ: number): void {
    const e = Math.max(0, this.bulkEnergyJ + dJ);
    this.bulkV = Math.sqrt((2 * e) / this.bulkCapF);
  }

  private updatePulse(dtMs: number, v1: number, iout: number): void {
    const p = this.p;
    if (this.state !== PsuState.Running && this.state !== PsuState.Holdup) {
      this.pulseAccMs = 0;
      this.pulsing = false;
      this.folded = false;
      this.uvpMs = 0;
      return;
    }
    const pout = v1 * iout;
    const over = pout > this.contW * 1.001;
    const limited = this.limited(v1, iout);
    this.pulsing = over && !this.folded;
    if (over) {
      this.pulseAccMs += dtMs;
      if (!this.folded && this.pulseAccMs > p.pulseMaxMs) {
        // Pulse window used up: fold back to the continuous limit. A pulse-limit violation.
        this.folded = true;
        this.overloadEvents++;
      }
    } else if (!(this.folded && limited)) {
      // The budget refills only while the output is back on its droop line: a folded PSU held
      // in its limit (e.g. beside BBUs in backup) stays folded rather than pulsing again.
      this.pulseAccMs = Math.max(0, this.pulseAccMs - p.pulseRecoveryRate * dtMs);
      if (this.pulseAccMs === 0) this.folded = false;
    }
    this.alarms.pulseFoldback = this.folded;
    if (this.state === PsuState.Running && limited && v1 < p.uvpV) {
      this.uvpMs += dtMs;
      if (this.uvpMs >= p.uvpDelayMs) {
        this.alarms.mainUvp = true;
        this.tripOc();
      }
    } else this.uvpMs = 0;
  }

  /** Output held by its power or current limit rather than regulating on the droop line. */
  private limited(v1: number, iout: number): boolean {
    if (this.pcapW <= 0) return true;
    return v1 * iout >= this.pcapW * 0.999 || iout >= this.icapA * 0.999;
  }

  get pulseActive(): boolean {
    return this.pulseAccMs > 0;
  }

  private tripOc(): void {
    this.state = PsuState.FaultOc;
    this.alarms.mainOcp = true;
    this.overloadEvents++;
    this.faultCount++;
    this.retryMs = this.p.ocpRetryS * 1000;
    this.folded = false;
    this.pulseAccMs = 0;
  }

  private loseController(): void {
    this.state = PsuState.OffCold;
    this.folded = false;
    this.pulseAccMs = 0;
  }

  private startColdBoot(): void {
    this.state = PsuState.Booting;
    const delayS = this.p.coldBootS + this.rng.uniform(0, this.p.staggerMaxS);
    this.lastRestartDelayS = delayS;
    this.bootRemainingMs = delayS * 1000;
    this.acPowerCycleCount++;
  }

  private beginSoftStart(): void {
    this.state = PsuState.SoftStart;
    this.softStartMs = 0;
    this.alarms.mainOcp = false;
    this.alarms.mainUvp = false;
  }

  /** Clear_Faults: releases an OC latch (the retry then runs at once if AC is good). */
  clearFaults(): void {
    if (this.state === PsuState.FaultOc) this.retryMs = 0;
    this.injectedFault = false;
    this.alarms.mainOcp = false;
    this.alarms.mainUvp = false;
  }

  /** Fast-lane extension: restart a PSU whose controller is alive (OffAux / OffCommanded). */
  requestRestart(): void {
    this.restartRequested = true;
  }

  /** A transient the step control must resolve finely. */
  get inTransient(): boolean {
    return this.state === PsuState.Holdup || this.pulsing || this.uvpMs > 0;
  }

  /**
   * How long, from nowMs, nothing inside this PSU changes state on its own (ms): the zone takes
   * a quiet step only when every device can wait that long. 0 = needs small steps now.
   */
  quietForMs(nowMs: number): number {
    let t = Infinity;
    switch (this.state) {
      case PsuState.Running:
        // The pulse budget refills linearly, exact at any step; only a running pulse or an
        // under-voltage timer needs small steps.
        if (this.pulsing || this.uvpMs > 0) return 0;
        break;
      case PsuState.Booting:
        t = this.bootRemainingMs;
        break;
      case PsuState.FaultOc:
        t = this.retryMs;
        break;
      case PsuState.SoftStart:
        // Ramping: small steps. Ramped but still current-limited (waiting for enough PSUs to
        // carry the load beside the BBUs): a steady current source.
        if (this.softStartMs < this.p.softStartMs) return 0;
        break;
      case PsuState.Holdup:
        return 0;
      default:
        break;
    }
    if (this.powerLimitW !== null) t = Math.min(t, this.powerLimitExpiresMs - nowMs);
    if (this.auxHold) t = Math.min(t, this.auxHoldExpiresMs - nowMs);
    if (this.restartRequested) return 0;
    return t;
  }

  /** Start a PSU already running (initial condition), bulk full. */
  initRunning(): void {
    this.state = PsuState.Running;
    this.bulkV = this.p.bulkNominalV;
  }

  /** Continuous output capacity now, W (for step control and reports). */
  continuousCapacityW(): number {
    // Running under a derated input (or a commanded limit), the cap in force is the capacity.
    if (this.state === PsuState.Running) return Math.min(this.contW, this.pcapW);
    return this.state === PsuState.Holdup ? this.contW : 0;
  }

  get restartDelayRange(): [number, number] {
    return [this.p.coldBootS, this.p.coldBootS + this.p.staggerMaxS];
  }
}
