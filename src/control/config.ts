import { ErrorCode, Orv3Error } from '../errors.js';

/**
 * Everything the control core decides by, in one validated object. Defaults are the device
 * facts of DESIGN.md §5 (PFC cut-off and derating band, 90 s rated backup, 150 ms soft start)
 * or our engineering choices, each marked. Overrides come from the config file.
 */
export interface ControlConfig {
  /** Tick period, ms (1 = 1 kHz). */
  readonly tickMs: number;
  /**
   * Share of the tick the bus may be busy, %: setpoint changes that would run past it wait for
   * the next tick, largest first (ours: 85 %, leaving the loop's own compute, a scavenge and the
   * deadline's jitter the rest). Lease renewals and discharge stops are never deferred.
   */
  readonly tickBusBudgetPct: number;
  /** Site nominal AC line-to-neutral voltage, V (277 V HPR, 230 V ORv3 sites). */
  readonly nominalVac: number;
  /**
   * AC input below which the BBUs carry the load: the upper edge of the PSU derating band
   * (fact: 198 V) plus a margin, so the bus is handed over before the PSU limits its output.
   */
  readonly engageBelowVac: number;
  /** AC counts as back above this fraction of nominal (the PFAPR definition's 0.9 p.u.). */
  readonly acReturnPu: number;
  /** Consecutive AC samples needed to declare a sag / a return (debounce). */
  readonly sagConfirmSamples: number;
  readonly returnConfirmSamples: number;
  /** Rated backup time the reserve must cover at the present load, s (fact: 90 s). */
  readonly backupTimeS: number;
  /** Extra reserve on top, % of the computed reserve (ours: measurement and ageing error). */
  readonly reserveMarginPct: number;
  /** Guard band above the reserve where spending stops, % of BBU capacity (reading resolution). */
  readonly reserveGuardPct: number;
  /** BBU discharge conversion efficiency assumed for the reserve (ours: 0.95). */
  readonly bbuDischargeEfficiency: number;
  /** Nominal Li-ion cell voltage for Ah → Wh (SBS convention, 3.6 V). */
  readonly bbuNominalCellV: number;
  /** Lease of every discharge setpoint, ms: a dead gateway's discharge ends this soon. */
  readonly dischargeLeaseMs: number;
  /** Renew a held discharge setpoint this often, ms (well inside the lease). */
  readonly dischargeRenewMs: number;
  /** Lease of the PSU "hold controller on aux" arm, ms, and its renewal period. */
  readonly holdLeaseMs: number;
  readonly holdRenewMs: number;
  /** Lease / renewal of the BBU charge-limit setpoint, ms. */
  readonly chargeLeaseMs: number;
  readonly chargeRenewMs: number;
  /** PSU soft start after EXT_PSU_RESTART (fact-derived default 150 ms) plus a margin, ms. */
  readonly psuSoftStartMs: number;
  readonly psuReadyMarginMs: number;
  /** Spacing of PSU restarts, ms (deterministic stagger against inrush). */
  readonly restartStaggerMs: number;
  /** Time over which the BBUs hand the load back to the PSUs after an event, ms. */
  readonly handBackMs: number;
  /** Budget for grid power to be back at 90 % of pre-fault, ms (PFAPR, default 1 s). */
  readonly pfaprBudgetMs: number;
  /** Ride-through discharge margin over the estimated load (BBUs must out-supply it). */
  readonly rideMargin: number;
  /** PSU output the coordinator plans for, as a fraction of PSU rating (ours: 1.0). */
  readonly psuPlanRatio: number;
  /** Upward ramp limit of grid-visible power, W/s per W of installed PSU rating (null: off). */
  readonly gridRampPerS: number | null;
  /** Bus voltage below which, with AC present, the BBUs are pushed in at once (guard), V. */
  readonly busGuardV: number;
  /** Samples older than this are stale; all of them stale → autonomous (watchdog), ms. */
  readonly staleMs: number;
  /** Consecutive read failures after which a device is excluded until it answers again. */
  readonly excludeAfterFailures: number;
  /** Largest change of one BBU discharge setpoint per tick outside an outage, W. */
  readonly maxSetpointStepW: number;
  /**
   * Recharge: charge power cap per BBU while the gateway manages charging, W. Default the native
   * charger's rate (10 % of a 5.5 kW BBU): faster charging drains the PSUs' hold-up faster in a
   * sag, and a gateway that dies with a faster limit leased would leave the shelf worse than
   * native (closed-loop soak, 2026-11-22).
   */
  readonly maxChargeW: number;
  /** Recharge: planning margin under the PSU and cap limits, fraction of PSU rating. */
  readonly chargeMargin: number;
}

export const DEFAULT_CONTROL_CONFIG: ControlConfig = Object.freeze({
  tickMs: 1,
  tickBusBudgetPct: 85,
  nominalVac: 277,
  engageBelowVac: 202,
  acReturnPu: 0.9,
  sagConfirmSamples: 2,
  returnConfirmSamples: 3,
  backupTimeS: 90,
  reserveMarginPct: 2,
  reserveGuardPct: 0.5,
  bbuDischargeEfficiency: 0.95,
  bbuNominalCellV: 3.6,
  dischargeLeaseMs: 250,
  dischargeRenewMs: 100,
  holdLeaseMs: 1000,
  holdRenewMs: 250,
  chargeLeaseMs: 1000,
  chargeRenewMs: 250,
  psuSoftStartMs: 150,
  psuReadyMarginMs: 30,
  restartStaggerMs: 5,
  handBackMs: 200,
  pfaprBudgetMs: 1000,
  rideMargin: 1.15,
  psuPlanRatio: 1.0,
  gridRampPerS: 10,
  busGuardV: 49.0,
  staleMs: 20,
  excludeAfterFailures: 5,
  maxSetpointStepW: 6000,
  maxChargeW: 550,
  chargeMargin: 0.03,
});

/** Merges overrides and checks every field's range; throws ConfigInvalid naming the field. */
export function controlConfig(over: Partial<ControlConfig> = {}): ControlConfig {
  const c: ControlConfig = { ...DEFAULT_CONTROL_CONFIG, ...over };
  const bad = (field: string, why: string): never => {
    throw new Orv3Error(ErrorCode.ConfigInvalid, `control.${field}: ${why}`, { field });
  };
  const pos = (f: keyof ControlConfig): void => {
    const v = c[f];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(f, `must be > 0, got ${v}`);
  };
  for (const f of [
    'tickMs',
    'nominalVac',
    'engageBelowVac',
    'backupTimeS',
    'bbuDischargeEfficiency',
    'bbuNominalCellV',
    'dischargeLeaseMs',
    'dischargeRenewMs',
    'holdLeaseMs',
    'holdRenewMs',
    'chargeLeaseMs',
    'chargeRenewMs',
    'psuSoftStartMs',
    'handBackMs',
    'pfaprBudgetMs',
    'rideMargin',
    'psuPlanRatio',
    'busGuardV',
    'staleMs',
    'excludeAfterFailures',
    'maxSetpointStepW',
  ] as const)
    pos(f);
  if (!(c.tickBusBudgetPct >= 10 && c.tickBusBudgetPct <= 100))
    bad('tickBusBudgetPct', `must be within 10..100, got ${c.tickBusBudgetPct}`);
  if (c.dischargeLeaseMs > 5000) bad('dischargeLeaseMs', 'lease is at most 5000 ms (map bound)');
  if (c.holdLeaseMs > 5000) bad('holdLeaseMs', 'lease is at most 5000 ms (map bound)');
  if (c.chargeLeaseMs > 5000) bad('chargeLeaseMs', 'lease is at most 5000 ms (map bound)');
  if (c.dischargeRenewMs >= c.dischargeLeaseMs) bad('dischargeRenewMs', 'must be < the lease');
  if (c.holdRenewMs >= c.holdLeaseMs) bad('holdRenewMs', 'must be < the lease');
  if (c.chargeRenewMs >= c.chargeLeaseMs) bad('chargeRenewMs', 'must be < the lease');
  if (c.acReturnPu <= 0 || c.acReturnPu > 1.1) bad('acReturnPu', 'must be in (0, 1.1]');
  if (c.rideMargin < 1) bad('rideMargin', 'must be ≥ 1');
  if (c.psuPlanRatio > 1.05) bad('psuPlanRatio', 'must be ≤ the 1.05 continuous limit');
  if (c.gridRampPerS !== null && !(c.gridRampPerS > 0)) bad('gridRampPerS', 'must be > 0 or null');
  if (c.maxChargeW < 0 || c.maxChargeW > 2000) bad('maxChargeW', 'must be in [0, 2000] W');
  if (c.reserveMarginPct < 0) bad('reserveMarginPct', 'must be ≥ 0');
  if (!(c.reserveGuardPct >= 0 && c.reserveGuardPct <= 10))
    bad('reserveGuardPct', 'must be in [0, 10] %');
  return Object.freeze(c);
}
