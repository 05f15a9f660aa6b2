/**
 * Ratings the fast lane cannot tell us, by Modbus map family (DESIGN.md §5 facts): BBU
 * discharge rating (ORv3 6 × 3 kW, HPR 6 × 5.5 kW for 90 s), cells in series (ORv3 11, HPR
 * 12), and the PSU rating used until MFR_POUT_MAX has been read.
 */
export interface FamilyFacts {
  readonly ratedW: number;
  readonly cells?: number;
}

export const FAMILY_FACTS: Readonly<Record<string, FamilyFacts>> = Object.freeze({
  'orv3-psu': { ratedW: 3000 },
  'hpr-psu': { ratedW: 5500 },
  'orv3-bbu': { ratedW: 3000, cells: 11 },
  'hpr-bbu': { ratedW: 5500, cells: 12 },
});
