/**
 * Redfish Status (State, Health) and conditions of PSUs and BBUs from the alarm bits the
 * gateway polls, and of the Manager from its control loop's mode. The same classification
 * drives the resources and the events, so a PSU that reports Critical is exactly one for which
 * PowerSupplyFailed was sent, and a Manager turns Warning exactly when ResourceStatusChanged
 * says so.
 */
import type { BbuTelemetry, PsuTelemetry } from '../../devices/index.js';
import type { ControlStatus, Gateway } from '../../gateway/index.js';
import type { ModuleView } from './model.js';
import type { Health, State } from './resources/util.js';

/** Alarm bits (`Register.Bit`) that mean the PSU no longer converts. */
const PSU_FAILED = new Set([
  'General_Alarm_Status_Register.PFC_Converter_Fail',
  'General_Alarm_Status_Register.DCDC_Converter_Failure',
  'PFC_Alarm_Status_Register.PFC_Fail',
  'DCDC_Alarm_Status_Register.DCDC_Fail',
  'DCDC_Alarm_Status_Register.Main_SCKT',
  'DCDC_Alarm_Status_Register.Secondary_MCU_Fail',
  'Communication_Alarm_Status_Register.Primary_Secondary_MCU_Fault',
]);
/** Input-side conditions: the PSU is healthy but has no (good) AC. */
const PSU_INPUT = new Set([
  'PFC_Alarm_Status_Register.AC_UVP',
  'PFC_Alarm_Status_Register.AC_OVP',
  'PFC_Alarm_Status_Register.AC_Not_OK',
  'PFC_Alarm_Status_Register.Freq_Low',
  'PFC_Alarm_Status_Register.Freq_High',
  'PFC_Alarm_Status_Register.AC_Loss_Single_Fault',
]);
/** Below this AC input the line is lost (no PSU converts from it). */
export const LOSS_OF_INPUT_VAC = 90;

export type LineStatus = 'Normal' | 'LossOfInput' | 'OutOfRange' | 'Unknown';

export interface PsuCondition {
  readonly state: State;
  readonly health: Health | null;
  readonly failed: boolean;
  readonly line: LineStatus;
}

export function psuCondition(gw: Gateway, m: ModuleView): PsuCondition {
  const rec = gw.registry.get(m.unit);
  const t: PsuTelemetry | undefined = gw.psu(m.unit);
  if (rec?.state === 'dormant')
    return { state: 'UnavailableOffline', health: 'Critical', failed: true, line: 'Unknown' };
  if (!t) return { state: 'UnavailableOffline', health: null, failed: false, line: 'Unknown' };
  const active = t.alarms.active;
  const failed = active.some((a) => PSU_FAILED.has(a));
  const v = t.input.voltageV;
  const line: LineStatus =
    v < LOSS_OF_INPUT_VAC
      ? 'LossOfInput'
      : active.some((a) => PSU_INPUT.has(a))
        ? 'OutOfRange'
        : 'Normal';
  const others = active.some((a) => !PSU_FAILED.has(a) && !a.startsWith('Communication_Alarm'));
  const health: Health = failed ? 'Critical' : line !== 'Normal' || others ? 'Warning' : 'OK';
  return { state: 'Enabled', health, failed, line };
}

/** BBU alarm registers whose bits are failures (the rest are warnings). */
const BBU_FAILURE_REGISTERS = [
  'Permanent_Failures.',
  'BBU_Status_Power_Boost.',
  'BBU_Status_Buck_Converter.',
];

export interface BbuCondition {
  readonly state: State;
  readonly health: Health | null;
  readonly failed: boolean;
}

export function bbuCondition(gw: Gateway, m: ModuleView): BbuCondition {
  const rec = gw.registry.get(m.unit);
  const t: BbuTelemetry | undefined = gw.bbu(m.unit);
  if (rec?.state === 'dormant')
    return { state: 'UnavailableOffline', health: 'Critical', failed: true };
  if (!t) return { state: 'UnavailableOffline', health: null, failed: false };
  const active = t.alarms.active;
  const failed = active.some((a) => BBU_FAILURE_REGISTERS.some((r) => a.startsWith(r)));
  const health: Health = failed ? 'Critical' : active.length > 0 ? 'Warning' : 'OK';
  return { state: 'Enabled', health, failed };
}

const rank = { OK: 0, Warning: 1, Critical: 2 } as const;
/** Worst of several healths (rollup); null entries are ignored. */
export function worst(hs: readonly (Health | null)[]): Health {
  let w: Health = 'OK';
  for (const h of hs) if (h !== null && rank[h] > rank[w]) w = h;
  return w;
}

/**
 * The Manager's health from its control loop's mode. `autonomous` means the loop runs but
 * commands nothing — its samples went stale (watchdog) or have not yet been fresh for the
 * watchdog's re-arm run after start — so the shelf is on its native behaviour: Warning, the
 * gateway is not doing its job. ride/recover are the loop working as designed (the grid's
 * condition is reported by the PSU and sensor resources). No loop is a configuration
 * (`--no-control`), not a fault: OK.
 */
export function loopModeHealth(mode: ControlStatus['mode']): Health {
  return mode === 'autonomous' ? 'Warning' : 'OK';
}

export function managerHealth(c: ControlStatus | null): Health {
  return c === null ? 'OK' : loopModeHealth(c.mode);
}
