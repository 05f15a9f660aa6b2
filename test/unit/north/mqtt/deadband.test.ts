import { describe, expect, it } from 'vitest';
import { ReportFilter, globToRegExp } from '../../../../src/north/mqtt/deadband.js';
import type { MetricSample } from '../../../../src/north/mqtt/source.js';

const s = (name: string, value: MetricSample['value'], ts: number): MetricSample => ({
  name,
  type: typeof value === 'bigint' ? 'Int64' : typeof value === 'boolean' ? 'Boolean' : 'Double',
  value,
  timestampMs: ts,
});
const names = (xs: MetricSample[]) => xs.map((x) => `${x.name}=${String(x.value)}`);

describe('ReportFilter', () => {
  it('reports everything the first time, then only changes', () => {
    const f = new ReportFilter([], 0);
    expect(names(f.select('', [s('a', 1, 1), s('b', true, 1)], 0))).toEqual(['a=1', 'b=true']);
    expect(f.select('', [s('a', 1, 2), s('b', true, 2)], 100)).toEqual([]);
    expect(names(f.select('', [s('a', 2, 3), s('b', false, 3)], 200))).toEqual(['a=2', 'b=false']);
  });

  it('absolute deadband compares with the last *reported* value (no creeping drift)', () => {
    const f = new ReportFilter([{ pattern: 'Input/*', absolute: 0.5 }], 0);
    f.select('', [s('Input/Voltage', 230, 1)], 0);
    expect(f.select('', [s('Input/Voltage', 230.3, 2)], 1)).toEqual([]);
    expect(f.select('', [s('Input/Voltage', 230.5, 3)], 2)).toEqual([]);
    expect(names(f.select('', [s('Input/Voltage', 230.6, 4)], 3))).toEqual(['Input/Voltage=230.6']);
  });

  it('relative deadband, first matching rule wins, zero reference always reports', () => {
    const f = new ReportFilter(
      [
        { pattern: 'Output/Power', relative: 0.1 },
        { pattern: 'Output/*', absolute: 100 },
      ],
      0,
    );
    f.select('', [s('Output/Power', 1000, 1), s('Output/Current', 0, 1)], 0);
    expect(f.select('', [s('Output/Power', 1090, 2)], 1)).toEqual([]);
    expect(names(f.select('', [s('Output/Power', 1101, 3)], 2))).toEqual(['Output/Power=1101']);
    expect(f.select('', [s('Output/Current', 50, 3)], 2)).toEqual([]);
  });

  it('null transitions always report; bigint compares exactly', () => {
    const f = new ReportFilter([{ pattern: '*', absolute: 1000 }], 0);
    f.select('', [s('x', 5, 1), s('n', 2n ** 60n, 1)], 0);
    expect(names(f.select('', [s('x', null, 2)], 1))).toEqual(['x=null']);
    expect(names(f.select('', [s('x', 5, 3)], 2))).toEqual(['x=5']);
    // 2^60 + 1 is 2^60 as a double; exactly it is a change of 1, inside the deadband.
    expect(names(f.select('', [s('n', 2n ** 60n + 1n, 3)], 2))).toEqual([]);
    expect(names(f.select('', [s('n', 2n ** 60n + 1001n, 4)], 3))).toEqual([
      'n=1152921504606847977',
    ]);
    const exact = new ReportFilter([], 0);
    exact.select('', [s('n', 2n ** 60n, 1)], 0);
    expect(names(exact.select('', [s('n', 2n ** 60n + 1n, 2)], 1))).toEqual([
      'n=1152921504606846977',
    ]);
  });

  it('maximum silence republishes a fresh reading, never the same reading twice', () => {
    const f = new ReportFilter([], 1000);
    f.select('', [s('a', 1, 10)], 0);
    expect(f.select('', [s('a', 1, 11)], 999)).toEqual([]);
    expect(names(f.select('', [s('a', 1, 12)], 1000))).toEqual(['a=1']);
    expect(f.select('', [s('a', 1, 12)], 5000)).toEqual([]);
  });

  it('a birth is the new reference; forget() starts a scope over; scopes are separate', () => {
    const f = new ReportFilter([], 0);
    f.markBirth('psu-1', [s('a', 1, 1)], 0);
    expect(f.select('psu-1', [s('a', 1, 2)], 1)).toEqual([]);
    expect(names(f.select('psu-2', [s('a', 1, 2)], 1))).toEqual(['a=1']);
    f.forget('psu-1');
    expect(names(f.select('psu-1', [s('a', 1, 3)], 2))).toEqual(['a=1']);
  });

  it('globs: * spans folders, ? is one character, the rest is literal', () => {
    expect(globToRegExp('Input/*').test('Input/Phase A/Voltage')).toBe(true);
    expect(globToRegExp('PSU?/Temp').test('PSU1/Temp')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});
