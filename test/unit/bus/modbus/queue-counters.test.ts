import { describe, expect, it } from 'vitest';
import { Histogram, PriorityQueue } from '../../../../src/bus/modbus/index.js';
import type { Priority } from '../../../../src/bus/modbus/index.js';

interface J {
  readonly tag: string;
  readonly priority: Priority;
  notBeforeMs: number;
}
const j = (tag: string, priority: Priority, notBeforeMs = -Infinity): J => ({
  tag,
  priority,
  notBeforeMs,
});

describe('PriorityQueue', () => {
  it('strict priority among ready heads, FIFO within a class', () => {
    const q = new PriorityQueue<J>(10);
    for (const x of [
      j('b1', 'background'),
      j('t1', 'telemetry'),
      j('c1', 'control'),
      j('t2', 'telemetry'),
      j('c2', 'control'),
    ]) {
      expect(q.push(x)).toBeUndefined();
    }
    const order: string[] = [];
    for (let x = q.takeReady(0); x; x = q.takeReady(0)) order.push(x.tag);
    expect(order).toEqual(['c1', 'c2', 't1', 't2', 'b1']);
  });

  it('a retry in backoff keeps its class waiting but lets a lower class use the line', () => {
    const q = new PriorityQueue<J>(10);
    q.push(j('t2', 'telemetry'));
    q.push(j('b1', 'background'));
    q.unshift(j('t1-retry', 'telemetry', 20));
    expect(q.takeReady(10)?.tag).toBe('b1');
    expect(q.takeReady(10)).toBeUndefined();
    expect(q.nextReadyAtMs()).toBe(20);
    expect(q.takeReady(20)?.tag).toBe('t1-retry');
    expect(q.takeReady(20)?.tag).toBe('t2');
    expect(q.nextReadyAtMs()).toBeUndefined();
  });

  it('when full, evicts the newest job of the lowest class below the newcomer', () => {
    const q = new PriorityQueue<J>(3);
    q.push(j('b1', 'background'));
    q.push(j('b2', 'background'));
    q.push(j('t1', 'telemetry'));
    expect(q.push(j('c1', 'control'))?.tag).toBe('b2');
    expect(q.push(j('t2', 'telemetry'))?.tag).toBe('b1');
    expect(q.push(j('t3', 'telemetry'))?.tag).toBe('t3'); // nothing below telemetry left
    expect(q.size).toBe(3);
    expect(q.drain().map((x) => x.tag)).toEqual(['c1', 't1', 't2']);
    expect(q.size).toBe(0);
  });
});

describe('latency Histogram', () => {
  it('percentiles are bucket upper bounds; the open bucket reports the largest value', () => {
    const h = new Histogram([1, 10, 100]);
    expect(h.percentileMs(50)).toBeNaN();
    for (const ms of [0.5, 5, 5, 5, 50, 50, 50, 50, 50, 2500]) h.record(ms);
    expect(h.counts).toEqual([1, 3, 5, 1]);
    expect(h.count).toBe(10);
    expect(h.percentileMs(0)).toBe(1);
    expect(h.percentileMs(10)).toBe(1);
    expect(h.percentileMs(40)).toBe(10);
    expect(h.percentileMs(90)).toBe(100);
    expect(h.percentileMs(99)).toBe(2500);
    expect(h.percentileMs(100)).toBe(2500);
  });
});
