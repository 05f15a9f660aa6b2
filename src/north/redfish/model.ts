/**
 * The gateway as Redfish sees it: shelves (one PowerShelves/{n} and one Chassis/PowerShelf{n}
 * each), their PSUs and BBUs with stable ids, and ratings by register-map family. Built from
 * the gateway's drivers only (never the simulator), rebuilt when the driver list changes.
 */
import { createHash } from 'node:crypto';
import { addressSlot, type Driver } from '../../devices/index.js';
import type { Gateway } from '../../gateway/index.js';

export interface ModuleView {
  /** Redfish id within its collection: `PSU1`… or `BBU1`…. */
  readonly id: string;
  readonly kind: 'psu' | 'bbu';
  /** Modbus unit address. */
  readonly unit: number;
  /** 0-based slot in the shelf. */
  readonly slot: number;
  /** The gateway's device id (`psu-144`), the key of its commands and journal. */
  readonly deviceId: string;
  readonly family: string;
  readonly shelf: ShelfView;
}

export interface ShelfView {
  /** 0-based. */
  readonly index: number;
  /** PowerShelves/{id}: `1`, `2`, … */
  readonly id: string;
  /** Chassis/{chassisId}: `PowerShelf1`, … */
  readonly chassisId: string;
  readonly psus: ModuleView[];
  readonly bbus: ModuleView[];
  readonly uuid: string;
}

/** Ratings by register-map family (DESIGN §1/§5: ORv3 6 × 3 kW, HPR 6 × 5.5 kW). */
const PSU_RATED_W: Readonly<Record<string, number>> = { 'orv3-psu': 3000, 'hpr-psu': 5500 };
const BBU_RATED_W: Readonly<Record<string, number>> = { 'orv3-bbu': 3000, 'hpr-bbu': 5500 };
/** AC input nominal by family: ORv3 200–277 Vac, HPR 277 V line-to-neutral. */
const PSU_NOMINAL_VAC: Readonly<Record<string, number>> = { 'orv3-psu': 230, 'hpr-psu': 277 };

export const psuRatedW = (family: string): number => PSU_RATED_W[family] ?? 3000;
export const bbuRatedW = (family: string): number => BBU_RATED_W[family] ?? 3000;
export const psuNominalVac = (family: string): number => PSU_NOMINAL_VAC[family] ?? 230;

/**
 * The shelf's maker as its modules report it (Modbus identity registers): the one manufacturer
 * every module that names one agrees on, else null. The shelf has no identity registers of its
 * own (its PMI/PMM module is what the gateway replaces), so its serial and part numbers stay
 * unknown. PSUs name theirs through PMBus MFR_ID (their Modbus maps carry none), BBUs through
 * their Modbus identity.
 */
export function shelfManufacturer(gw: Gateway, s: ShelfView): string | null {
  let found: string | null = null;
  for (const m of [...s.psus, ...s.bbus]) {
    const t = m.kind === 'psu' ? gw.psu(m.unit) : gw.bbu(m.unit);
    const name = t?.identity.manufacturer?.trim();
    if (!name) continue;
    if (found !== null && found !== name) return null;
    found = name;
  }
  return found;
}

/** A name-based UUID (v5 layout over SHA-1), stable for the same name. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(`orv3gw:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * Shelf index of a module: its address range among the ranges that hold a whole shelf (the
 * same rule the gateway and the simulator use to lay shelves on the ORv3/HPR address maps).
 */
function shelfIndex(d: Driver): number {
  const r = addressSlot(d.map, d.unit);
  if (!r) return 0;
  const full = d.map.addressRanges
    .map((x, i) => ({ i, n: x[1] - x[0] + 1 }))
    .filter((x) => x.n >= 6)
    .map((x) => x.i);
  return Math.max(0, full.indexOf(r.range));
}

export class ShelfModel {
  private drivers: readonly Driver[] | undefined;
  private shelvesCache: ShelfView[] = [];
  private byChassis = new Map<string, ShelfView>();
  private byShelfId = new Map<string, ShelfView>();
  private byDevice = new Map<string, ModuleView>();

  constructor(
    private readonly gateway: Gateway,
    private readonly uuidSeed: string,
  ) {}

  private refresh(): void {
    const drivers = this.gateway.deviceDrivers;
    if (drivers === this.drivers) return;
    this.drivers = drivers;
    const shelves = new Map<number, { psus: Driver[]; bbus: Driver[] }>();
    for (const d of drivers) {
      const i = shelfIndex(d);
      if (!shelves.has(i)) shelves.set(i, { psus: [], bbus: [] });
      (d.kind === 'psu' ? shelves.get(i)!.psus : shelves.get(i)!.bbus).push(d);
    }
    // A gateway that has not discovered anything yet still serves one (empty) shelf.
    if (shelves.size === 0) shelves.set(0, { psus: [], bbus: [] });
    this.shelvesCache = [...shelves.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([index, m]) => {
        const id = String(index + 1);
        const shelf: ShelfView = {
          index,
          id,
          chassisId: `PowerShelf${id}`,
          psus: [],
          bbus: [],
          uuid: nameUuid(`${this.uuidSeed}/shelf/${index}`),
        };
        const add = (list: ModuleView[], ds: Driver[], prefix: 'PSU' | 'BBU'): void => {
          ds.sort((a, b) => a.unit - b.unit);
          ds.forEach((d, k) =>
            list.push({
              id: `${prefix}${k + 1}`,
              kind: d.kind,
              unit: d.unit,
              slot: addressSlot(d.map, d.unit)?.slot ?? k,
              deviceId: `${d.kind}-${d.unit}`,
              family: d.map.family,
              shelf,
            }),
          );
        };
        add(shelf.psus, m.psus, 'PSU');
        add(shelf.bbus, m.bbus, 'BBU');
        return shelf;
      });
    this.byChassis = new Map(this.shelvesCache.map((s) => [s.chassisId, s]));
    this.byShelfId = new Map(this.shelvesCache.map((s) => [s.id, s]));
    this.byDevice = new Map(
      this.shelvesCache.flatMap((s) => [...s.psus, ...s.bbus]).map((m) => [m.deviceId, m]),
    );
  }

  shelves(): readonly ShelfView[] {
    this.refresh();
    return this.shelvesCache;
  }

  /** The shelf that hosts the rack-level power cap Control and EnvironmentMetrics limit. */
  capShelf(): ShelfView {
    return this.shelves()[0]!;
  }

  byChassisId(id: string): ShelfView | undefined {
    this.refresh();
    return this.byChassis.get(id);
  }

  byPowerShelfId(id: string): ShelfView | undefined {
    this.refresh();
    return this.byShelfId.get(id);
  }

  module(deviceId: string): ModuleView | undefined {
    this.refresh();
    return this.byDevice.get(deviceId);
  }

  psu(shelf: ShelfView, id: string): ModuleView | undefined {
    return shelf.psus.find((p) => p.id === id);
  }

  bbu(shelf: ShelfView, id: string): ModuleView | undefined {
    return shelf.bbus.find((p) => p.id === id);
  }
}
