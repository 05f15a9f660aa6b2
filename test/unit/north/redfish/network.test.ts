import { describe, expect, it } from 'vitest';
import { serialPairs } from '../../../../src/north/redfish/resources/network.js';

/** Certificate.v1_11_0 SerialNumber pattern. */
const PATTERN = /^([0-9A-Fa-f]{2}:){0,}([0-9A-Fa-f]{2})$/;

describe('certificate serial numbers', () => {
  it('splits node’s hex serial into colon-separated pairs, padding an odd length', () => {
    expect(serialPairs('2BA3E5C5F22295BA')).toBe('2B:A3:E5:C5:F2:22:95:BA');
    expect(serialPairs('abc')).toBe('0A:BC');
    expect(serialPairs('7')).toBe('07');
    for (const s of ['2BA3E5C5F22295BA0D8A812336BEC0FB776DC27A', 'abc', '7'])
      expect(serialPairs(s)).toMatch(PATTERN);
  });
});
