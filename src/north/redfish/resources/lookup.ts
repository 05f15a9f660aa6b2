/** Resolving URI captures to the model, with the registry's ResourceNotFound when absent. */
import { notFound } from '../http/errors.js';
import type { Req } from '../http/route.js';
import type { ModuleView, ShelfView } from '../model.js';
import { readingsOf, type ShelfReadings } from '../readings.js';

export function shelfOf(req: Req): ShelfView {
  const id = req.params['ChassisId']!;
  return (
    req.ctx.model.byChassisId(id) ??
    (() => {
      throw notFound('Chassis', id);
    })()
  );
}

export function powerShelfOf(req: Req): ShelfView {
  const id = req.params['PowerDistributionId']!;
  return (
    req.ctx.model.byPowerShelfId(id) ??
    (() => {
      throw notFound('PowerDistribution', id);
    })()
  );
}

export function psuOf(req: Req): ModuleView {
  const shelf = shelfOf(req);
  const id = req.params['PowerSupplyId']!;
  return (
    req.ctx.model.psu(shelf, id) ??
    (() => {
      throw notFound('PowerSupply', id);
    })()
  );
}

export function bbuOf(req: Req): ModuleView {
  const shelf = shelfOf(req);
  const id = req.params['BatteryId']!;
  return (
    req.ctx.model.bbu(shelf, id) ??
    (() => {
      throw notFound('Battery', id);
    })()
  );
}

export function readings(req: Req, shelf: ShelfView): ShelfReadings {
  return readingsOf(req.ctx.gateway, shelf, req.ctx.model.shelves());
}

/** The cap shelf only: Controls and PowerLimitWatts live on the first shelf's chassis. */
export function isCapShelf(req: Req, shelf: ShelfView): boolean {
  return req.ctx.model.capShelf() === shelf;
}
