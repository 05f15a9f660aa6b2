/**
 * Physics parameters of the simulated shelf. Every number here is either a fact with a source
 * (DESIGN.md §5, OCP ORv3/HPR talks, Meta rackmon maps) or a documented default for a fact that
 * is not public (marked ASSUMPTION). All of them can be overridden per scenario under
 * `physics` (see docs/SCENARIOS.md); unknown keys are rejected.
 */

export interface PsuParams {
  /** Output voltage setpoint selected by PSU_Setting bit 9 = 1 (fact: 48/51 V selectable). */
  vsetHighV: number;
  /** Output voltage setpoint with bit 9 = 0. */
  vsetLowV: number;
  /** Droop over 0–100 % rated current (fact: 0.5 V). */
  droopV: number;
  /** Nominal bus voltage used to turn rated watts into rated amps (fact: 50 V typical). */
  nominalOutV: number;
  /** Pulse capability as a multiple of rated power (fact: 155–160 %). */
  pulseLimitRatio: number;
  /**
   * Continuous output limit as a multiple of rated power: where soft start ends and the pulse
   * fold-back lands (ASSUMPTION: 105 %, the usual margin of an OCP PSU's over-power warning).
   */
  continuousLimitRatio: number;
  /** Time the PSU may spend above its continuous limit before folding back (ASSUMPTION: 20 ms). */
  pulseMaxMs: number;
  /** Rate at which the pulse budget refills in regulation, as a fraction of real time (ASSUMPTION). */
  pulseRecoveryRate: number;
  /** Output under-voltage while current-limited that ends in an OC shutdown (ASSUMPTION). */
  uvpV: number;
  /** How long the output may sit below uvpV in current limit before the shutdown (ASSUMPTION). */
  uvpDelayMs: number;
  /** Hiccup retry after an OC shutdown (ASSUMPTION). */
  ocpRetryS: number;
  /**
   * Hold-up time at rated load, ms (fact: 20 ms at full load; for a 3 kW ORv3 PSU that is the
   * 60 J of usable bulk energy the seeds quote). The bulk capacitance is sized from it.
   */
  holdupMsAtRated: number;
  /** Bulk capacitor voltage with the PFC running (ASSUMPTION: 400 V, a typical boost PFC). */
  bulkNominalV: number;
  /** Lowest bulk voltage at which the DC/DC still regulates (ASSUMPTION: 300 V). */
  bulkMinRegV: number;
  /** Bulk voltage at which the DC/DC and the standby supply stop (ASSUMPTION: 250 V). */
  bulkOffV: number;
  /**
   * Once the bulk falls below bulkMinRegV the hold-up is over: the PSU declares AC fail and its
   * DC/DC output decays with the bulk for at most this long before it shuts off (ASSUMPTION).
   */
  tailMaxMs: number;
  /** Bulk recharge power limit after a ride-through, as a multiple of rated (ASSUMPTION). */
  bulkRechargeRatio: number;
  /** PFC input under-voltage cut-off, Vac (fact: ~180 V). */
  pfcCutoffVac: number;
  /** PFC restart threshold, Vac (hysteresis above the cut-off; ASSUMPTION). */
  pfcRestartVac: number;
  /** Upper edge of the derating band, Vac (fact: may derate 180–198 V). */
  derateStartVac: number;
  /** Output power limit at the cut-off, as a fraction of rated (ASSUMPTION: 85 %). */
  derateMinRatio: number;
  /** AC over-voltage cut-off (fact: 277 V +10 % ≈ 305 V). */
  acOvpVac: number;
  /** Frequency window outside which the PFC treats the input as failed, Hz (ASSUMPTION). */
  freqMinHz: number;
  freqMaxHz: number;
  /** Fixed part of the conventional restart after the controller lost power (ASSUMPTION: 2 s). */
  coldBootS: number;
  /** Random inrush stagger added on top, drawn per PSU per event (fact: 0–15 s). */
  staggerMaxS: number;
  /** Soft-start: output current limit ramps 0 → rated over this time (ASSUMPTION: 150 ms). */
  softStartMs: number;
  /**
   * Time constant of the PSU's input RMS measurement behind READ_VIN, ms (ASSUMPTION: about a
   * half cycle at 60 Hz, as PSU firmware computes RMS per half cycle). Physics uses the true
   * envelope; only what the PSU reports lags.
   */
  vinMeasureTauMs: number;
  /** Bus voltage that keeps a controller alive on the auxiliary path (ASSUMPTION, DESIGN §5). */
  auxHoldMinBusV: number;
  /** Efficiency at 10/20/50/100 % load (fact: 96.5–97.5 % at 20–100 %; light load ASSUMPTION). */
  efficiencyCurve: number[];
  /** Controller, fans and housekeeping drawn from AC while running, W (ASSUMPTION). */
  standbyW: number;
  /** Inlet air temperature, °C (ASSUMPTION). */
  inletTempC: number;
  /** Outlet temperature rise per 100 W of loss, °C (ASSUMPTION). */
  tempRisePer100WC: number;
}

export interface BbuParams {
  /** Series Li-ion cells in the pack (fact: ORv3 11, HPR 12). */
  cells: number;
  /** Pack internal resistance, ohm (ASSUMPTION). */
  packResistanceOhm: number;
  /** Pack current limit, A (ASSUMPTION; Pack_Over_Current flag beyond it). */
  packCurrentLimitA: number;
  /** Per-cell open-circuit voltage at 0,10,...,100 % SoC (typical NMC curve; ASSUMPTION). */
  cellOcvCurveV: number[];
  /** Native trigger: bus below this for nativeDwellMs (fact: 48.5 V, 2 ms). */
  nativeTriggerV: number;
  nativeDwellMs: number;
  /** Delay from trigger to first current, and ramp to full power (fact: start ≤ 2 ms). */
  startDelayMs: number;
  startRampMs: number;
  /** Discharge regulation voltage in native backup, no-load (ASSUMPTION: 48.0 V). */
  backupRegV: number;
  /** Regulation voltage in forced / commanded discharge, above the PSU droop line (ASSUMPTION). */
  forcedRegV: number;
  /** Droop of the discharge converter over 0–100 % rated (ASSUMPTION: as the PSU). */
  droopV: number;
  /** Native stop: this long after the shelf AC-OK returns (fact: 200 ms). */
  stopAfterAcOkMs: number;
  /** Discharge current limit above rated power, as a ratio (converter margin; ASSUMPTION). */
  dischargeLimitRatio: number;
  /** Discharge converter efficiency (ASSUMPTION). */
  dischargeEfficiency: number;
  /** Charger efficiency (ASSUMPTION). */
  chargeEfficiency: number;
  /** Charge power limit as a fraction of rated discharge power (ASSUMPTION: 10 %). */
  chargeRatio: number;
  /** SoC above which charge power tapers linearly to zero at 100 % (CC-CV; ASSUMPTION). */
  chargeTaperStartPct: number;
  /** Delay from end of discharge to start of charge, s (Charge_Delay_Time default; ASSUMPTION). */
  chargeDelayS: number;
  /** Default Configurable_BBU_Maximum_Discharge_Time, s (fact: up to 240 s at light load). */
  maxDischargeS: number;
  /** Initial SoC, % (scenario may override). */
  initialSocPct: number;
  /** Housekeeping power, W, drawn from the bus (ASSUMPTION). */
  standbyW: number;
  inletTempC: number;
}

export interface BusParams {
  /** Busbar plus module output plus IT input capacitance per shelf, F (ASSUMPTION: not public). */
  capacitancePerShelfF: number;
  /** IT load input under-voltage lockout: below it the load drops (ASSUMPTION: 40 V). */
  loadDropV: number;
  /** A dropped load reboots after this long, s (ASSUMPTION). */
  loadRebootS: number;
}

export interface StepParams {
  /** Fine step while anything is in a transient (µs). */
  fineStepUs: number;
  /** Coarse step in steady state (µs); a multiple of fineStepUs. */
  coarseStepUs: number;
  /**
   * Quiet step (µs), a multiple of coarseStepUs, taken only when nothing can change within it:
   * all PSUs running or stably off, all BBUs armed, grid and load constant over the step. The
   * solver is exact in energy, so this only skips work, not physics (a test compares runs).
   */
  quietStepUs: number;
}

export interface GridParams {
  nominalVac: number;
  frequencyHz: number;
}

export interface PhysicsParams {
  psu: PsuParams;
  bbu: BbuParams;
  bus: BusParams;
  step: StepParams;
}

export interface ZoneSpec {
  /** Register-map family the simulated devices answer with. */
  family: 'orv3' | 'hpr';
  shelves: number;
  psusPerShelf: number;
  psuRatedW: number;
  bbusPerShelf: number;
  bbuRatedW: number;
  /** Usable chemical energy of one BBU pack between full and empty, Wh. */
  bbuEnergyWh: number;
  busNominalV: number;
}

const ORV3_OCV = [3.0, 3.45, 3.55, 3.62, 3.68, 3.74, 3.82, 3.91, 4.0, 4.08, 4.17];

export const DEFAULT_PSU: Readonly<PsuParams> = Object.freeze({
  vsetHighV: 51.0,
  vsetLowV: 48.0,
  droopV: 0.5,
  nominalOutV: 50.0,
  pulseLimitRatio: 1.6,
  continuousLimitRatio: 1.05,
  pulseMaxMs: 20,
  pulseRecoveryRate: 0.25,
  uvpV: 42.0,
  uvpDelayMs: 5,
  ocpRetryS: 10,
  holdupMsAtRated: 20,
  bulkNominalV: 400,
  bulkMinRegV: 300,
  bulkOffV: 250,
  tailMaxMs: 10,
  bulkRechargeRatio: 0.5,
  pfcCutoffVac: 180,
  pfcRestartVac: 185,
  derateStartVac: 198,
  derateMinRatio: 0.85,
  acOvpVac: 305,
  freqMinHz: 47,
  freqMaxHz: 63,
  coldBootS: 2.0,
  staggerMaxS: 15.0,
  softStartMs: 150,
  vinMeasureTauMs: 8.33,
  auxHoldMinBusV: 46.0,
  efficiencyCurve: [0.94, 0.965, 0.975, 0.965],
  standbyW: 12,
  inletTempC: 30,
  tempRisePer100WC: 4,
});

export const DEFAULT_BBU: Readonly<BbuParams> = Object.freeze({
  cells: 11,
  packResistanceOhm: 0.025,
  packCurrentLimitA: 110,
  cellOcvCurveV: ORV3_OCV,
  nativeTriggerV: 48.5,
  nativeDwellMs: 2,
  startDelayMs: 1,
  startRampMs: 1,
  backupRegV: 48.0,
  forcedRegV: 52.0,
  droopV: 0.5,
  stopAfterAcOkMs: 200,
  dischargeLimitRatio: 1.05,
  dischargeEfficiency: 0.97,
  chargeEfficiency: 0.95,
  chargeRatio: 0.1,
  chargeTaperStartPct: 95,
  chargeDelayS: 5,
  maxDischargeS: 240,
  initialSocPct: 100,
  standbyW: 5,
  inletTempC: 30,
});

export const DEFAULT_BUS: Readonly<BusParams> = Object.freeze({
  capacitancePerShelfF: 0.03,
  loadDropV: 40.0,
  loadRebootS: 300,
});

export const DEFAULT_STEP: Readonly<StepParams> = Object.freeze({
  fineStepUs: 50,
  coarseStepUs: 1000,
  quietStepUs: 10000,
});

export const DEFAULT_PHYSICS: Readonly<PhysicsParams> = Object.freeze({
  psu: DEFAULT_PSU,
  bbu: DEFAULT_BBU,
  bus: DEFAULT_BUS,
  step: DEFAULT_STEP,
});

/**
 * Zone presets. bbuEnergyWh is calibrated so that one BBU carries its rated power for ~90 s
 * (fact) including converter and I²R losses; test/unit/sim/bbu-runtime.test.ts holds it there.
 */
export const ZONE_PRESETS: Readonly<Record<string, ZoneSpec & { bbu?: Partial<BbuParams> }>> =
  Object.freeze({
    'orv3-18kw': {
      family: 'orv3',
      shelves: 1,
      psusPerShelf: 6,
      psuRatedW: 3000,
      bbusPerShelf: 6,
      bbuRatedW: 3000,
      bbuEnergyWh: 84,
      busNominalV: 50,
    },
    'orv3-hpr-33kw': {
      family: 'hpr',
      shelves: 1,
      psusPerShelf: 6,
      psuRatedW: 5500,
      bbusPerShelf: 6,
      bbuRatedW: 5500,
      bbuEnergyWh: 150,
      busNominalV: 50,
      bbu: { cells: 12, packResistanceOhm: 0.015, packCurrentLimitA: 180 },
    },
    // A GB300 NVL72-class rack (≈120–140 kW) on four HPR shelves sharing one busbar.
    'rack-4x-hpr-132kw': {
      family: 'hpr',
      shelves: 4,
      psusPerShelf: 6,
      psuRatedW: 5500,
      bbusPerShelf: 6,
      bbuRatedW: 5500,
      bbuEnergyWh: 150,
      busNominalV: 50,
      bbu: { cells: 12, packResistanceOhm: 0.015, packCurrentLimitA: 180 },
    },
  });

/** Deep-partial override shape accepted under a scenario's `physics` key. */
export interface PhysicsOverrides {
  psu?: Partial<PsuParams>;
  bbu?: Partial<BbuParams>;
  bus?: Partial<BusParams>;
  step?: Partial<StepParams>;
}
