import { describe, expect, it } from 'vitest';
import type { LoadResult, Target } from './redfish-protocol.js';
import { formatRate, summariseRate, verdict } from './redfish-report.js';

const targets: Target[] = [
  { kind: 'Sensor', group: 'sensor', uri: '/s' },
  { kind: 'Sensors (coll.)', group: 'collection', uri: '/c' },
];

function result(sensor: number[], coll: number[], errors = 0): LoadResult {
  return {
    type: 'result',
    latencyMs: { Sensor: sensor, 'Sensors (coll.)': coll },
    errors: { Sensor: errors, 'Sensors (coll.)': 0 },
    errorSamples: errors ? ['Sensor: HTTP 503'] : [],
    scheduled: sensor.length + coll.length + errors,
    completed: sensor.length + coll.length,
    fromSendMs: [...sensor, ...coll],
    windowMs: 2000,
    sendLagP99Ms: 0.2,
    socketsOpened: 4,
    cpuMs: 100,
    windowStartWallMs: 0,
    windowEndWallMs: 2000,
  };
}

describe('bench:redfish figures', () => {
  const ms = (n: number, v: number): number[] => Array.from({ length: n }, (_, i) => v + i / 1000);

  it('summarises per kind, per group and overall with nearest-rank percentiles', () => {
    // 100 sensor GETs at ~1 ms; 100 collection GETs at ~2 ms, one of them 40 ms.
    const coll = ms(100, 2);
    coll[50] = 40;
    const s = summariseRate(100, targets, result(ms(100, 1), coll), 300);
    expect(s.rows.map((r) => r.label)).toEqual(['Sensor', 'Sensors (coll.)']);
    expect(s.groups.map((r) => r.label)).toEqual(['sensor GETs', 'collection GETs']);
    expect(s.all.requests).toBe(200);
    expect(s.all.perS).toBe(100);
    expect(s.achievedPerS).toBe(100);
    expect(s.rows[1]!.latency.maxMs).toBe(40);
    // 99th of 200 ranks = rank 198: the 98th-slowest of the collection GETs, not the outlier.
    expect(s.all.latency.p99Ms).toBeCloseTo(2.098, 6);
    expect(s.serviceCpuPct).toBe(15);
    expect(formatRate(s)).toMatch(
      /^rate 100 req\/s for 2 s: achieved 100\.0 responses\/s, 4 connection/,
    );
  });

  it('passes the target line only under the bound and without errors', () => {
    const good = summariseRate(500, targets, result(ms(100, 1), ms(100, 2)), null);
    expect(verdict(good, 5, 500)).toEqual({
      pass: true,
      line: 'target p99 <= 5 ms at 500 req/s: p99 2.10 ms -> PASS',
    });
    const slow = summariseRate(500, targets, result(ms(100, 6), ms(100, 6)), null);
    expect(verdict(slow, 5, 500).pass).toBe(false);
    const errors = summariseRate(500, targets, result(ms(100, 1), ms(100, 1), 3), null);
    expect(verdict(errors, 5, 500).line).toMatch(/3 errors -> FAIL$/);
    expect(verdict(good, 5, 200 as number).line).toMatch(/measured at 500 req\/s, target rate 200/);
  });
});
