/**
 * The rack power cap as Redfish shows it twice — Control `PowerLimit` and EnvironmentMetrics
 * `PowerLimitWatts` — over one value: `gateway.commands.powerCapW` (null = no cap). Writes go
 * through `gateway.commands.setPowerCapW`, which validates again.
 */
import type { Json, JsonObject, Req } from '../http/route.js';
import { httpError, notInList, outOfRange, typeError } from '../http/errors.js';
import type { ShelfView } from '../model.js';
import { chassisUri, readingsOf, sensorUri } from '../readings.js';
import { round } from './util.js';

export const CONTROL_ID = 'PowerLimit';
export const controlUri = (s: ShelfView): string => `${chassisUri(s)}/Controls/${CONTROL_ID}`;

export interface CapView {
  readonly setPoint: number | null;
  readonly min: number;
  readonly max: number;
  readonly mode: 'Automatic' | 'Disabled';
  readonly reading: number | null;
  readonly sensorUri: string;
}

export function capView(req: Req, shelf: ShelfView): CapView {
  const { gateway: gw, model } = req.ctx;
  const cap = gw.commands.powerCapW;
  const b = gw.commands.powerCapBoundsW;
  const r = readingsOf(gw, shelf, model.shelves()).value('RackInputPower');
  return {
    setPoint: cap,
    min: b.min,
    max: b.max,
    mode: cap === null ? 'Disabled' : 'Automatic',
    reading: r === null ? null : round(r, 1),
    sensorUri: sensorUri(shelf, 'RackInputPower'),
  };
}

/**
 * Applies `{ SetPoint?, ControlMode? }` from a PATCH. SetPoint must lie in [AllowableMin,
 * AllowableMax]; ControlMode Disabled removes the cap, Automatic needs a SetPoint (given or
 * already set). `where` prefixes property names in messages (e.g. `PowerLimitWatts/`).
 */
export async function applyCap(req: Req, patch: JsonObject, where: string): Promise<void> {
  const gw = req.ctx.gateway;
  const b = gw.commands.powerCapBoundsW;
  const sp: Json | undefined = patch['SetPoint'];
  const mode: Json | undefined = patch['ControlMode'];
  if (sp !== undefined && sp !== null && (typeof sp !== 'number' || !Number.isFinite(sp)))
    throw typeError(sp, `${where}SetPoint`);
  if (mode !== undefined && mode !== 'Automatic' && mode !== 'Disabled')
    throw notInList(mode, `${where}ControlMode`);
  let target: number | null = gw.commands.powerCapW;
  if (typeof sp === 'number') {
    if (sp < b.min || sp > b.max) throw outOfRange(sp, `${where}SetPoint`);
    target = sp;
  } else if (sp === null) target = null;
  if (mode === 'Disabled') {
    if (typeof sp === 'number')
      throw httpError(400, 'Base.PropertyValueConflict', `${where}SetPoint`, `${where}ControlMode`);
    target = null;
  } else if (mode === 'Automatic' && target === null)
    throw httpError(400, 'Base.PropertyValueConflict', `${where}ControlMode`, `${where}SetPoint`);
  const r = await gw.commands.setPowerCapW(target);
  if (!r.ok) {
    req.ctx.log.info('power cap refused by the gateway', { reason: r.reason });
    throw outOfRange(target, `${where}SetPoint`);
  }
  req.ctx.gateway.journal.append({
    severity: 'OK',
    origin: 'north',
    messageId: 'ResourceEvent.PropertyValueModifiedByClient',
    message: `Redfish: rack power cap ${target === null ? 'removed' : `set to ${target} W`} by ${req.principal?.user ?? '?'}`,
    subject: 'shelf-0',
  });
}
