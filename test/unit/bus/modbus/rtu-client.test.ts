import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { ModbusRtuClient, SimulatedLine, type Priority } from '../../../../src/bus/modbus/index.js';
import { rtuTiming } from '../../../../src/protocol/modbus/index.js';
import { FakeSlaves, rejection, run } from './fake-slave.js';

function setup(baudRate = 19200, units = [1, 2, 3], opts: { maxQueue?: number } = {}) {
  const clock = new VirtualClock();
  const slaves = new FakeSlaves(units, () => clock.nowMs());
  const line = new SimulatedLine({ clock, baudRate, endpoint: slaves.endpoint });
  const client = new ModbusRtuClient({ clock, line, ...opts });
  return { clock, slaves, line, client };
}

describe('ModbusRtuClient on the simulated line', () => {
  it('reads and writes every function, and counts them', async () => {
    const { clock, client, slaves } = setup();
    expect([...(await run(clock, client.readHoldingRegisters(1, 100, 3)))]).toEqual([
      100, 101, 102,
    ]);
    await run(clock, client.writeSingleRegister(1, 100, 0xbeef));
    await run(clock, client.writeMultipleRegisters(1, 101, [7, 8]));
    expect([...(await run(clock, client.readInputRegisters(1, 100, 3)))]).toEqual([0xbeef, 7, 8]);
    expect(slaves.seen.map((s) => s.request.fc)).toEqual([0x03, 0x06, 0x10, 0x04]);
    const c = client.counters(1);
    expect(c).toMatchObject({ requests: 4, responses: 4, timeouts: 0, crcErrors: 0, retries: 0 });
    expect(c.latency.count).toBe(4);
    expect(client.units()).toEqual([1]);
    expect(client.transport).toBe('rtu');
    expect(client.baudRate).toBe(19200);
  });

  it('charges the modelled time: back-to-back single-register reads 12.604 ms apart at 19200', async () => {
    const { clock, client } = setup(19200);
    await run(clock, client.readHoldingRegisters(1, 0, 1));
    // The first request needs no leading silence: 8 + 7 chars + max(t3.5, 2 ms) turnaround.
    expect(clock.nowMs()).toBeCloseTo(15 * (11 / 19.2) + 2.0052, 3);
    const t0 = clock.nowMs();
    await run(clock, client.readHoldingRegisters(2, 0, 1));
    expect(clock.nowMs() - t0).toBeCloseTo(12.604, 3);
    expect(client.counters(2).latency.percentileMs(50)).toBe(15); // 10.6 ms → the ≤ 15 ms bucket
  });

  it('≈ 5.18 ms per single-register read at 115200', async () => {
    const { clock, client } = setup(115200);
    await run(clock, client.readHoldingRegisters(1, 0, 1));
    const t0 = clock.nowMs();
    await run(clock, client.readHoldingRegisters(1, 0, 1));
    expect(clock.nowMs() - t0).toBeCloseTo(5.182, 3);
  });

  for (const baud of [19200, 115200]) {
    it(`keeps a silence ≥ t3.5 before every request, and no more than needed (${baud})`, async () => {
      const { clock, client, line } = setup(baud);
      const t35 = rtuTiming(baud).t35Us;
      const jobs = [1, 2, 3, 1, 2, 3].map((u, i) =>
        i % 2 ? client.writeSingleRegister(u, i, i) : client.readHoldingRegisters(u, i, 5),
      );
      await run(clock, Promise.all(jobs));
      expect(line.stats.silenceViolations).toBe(0);
      const tr = line.transcript;
      expect(tr.map((r) => r.dir).join('')).toBe('txrx'.repeat(6));
      for (let i = 2; i < tr.length; i += 2) {
        const gap = tr[i]!.startUs - tr[i - 1]!.endUs;
        expect(gap).toBeGreaterThanOrEqual(t35 - 1e-6);
        expect(gap).toBeLessThan(t35 + 1);
      }
    });
  }

  it('serves control before telemetry before background, FIFO within a priority', async () => {
    const { clock, client, slaves } = setup();
    const order: string[] = [];
    const go = (tag: string, priority: Priority, unit = 1) =>
      client.readHoldingRegisters(unit, 0, 1, { priority }).then(() => order.push(tag));
    const all = [
      go('t0', 'telemetry'), // takes the line at once
      go('b1', 'background'),
      go('t1', 'telemetry'),
      go('c1', 'control', 2),
      go('b2', 'background'),
      go('t2', 'telemetry'),
      go('c2', 'control', 3),
    ];
    await run(clock, Promise.all(all));
    expect(order).toEqual(['t0', 'c1', 'c2', 't1', 't2', 'b1', 'b2']);
    expect(slaves.seen.map((s) => s.unit)).toEqual([1, 2, 3, 1, 1, 1, 1]);
  });

  it('bounded queue: overflow rejects the newcomer, or evicts the newest lower-priority job', async () => {
    const { clock, client } = setup(19200, [1], { maxQueue: 2 });
    const active = client.readHoldingRegisters(1, 0, 1);
    const t1 = client.readHoldingRegisters(1, 1, 1);
    const b1 = client.readHoldingRegisters(1, 2, 1, { priority: 'background' });
    const t2 = client.readHoldingRegisters(1, 3, 1); // full: nothing below telemetry except b1
    const c1 = client.writeSingleRegister(1, 9, 9, { priority: 'control' });
    const results = await run(clock, Promise.allSettled([active, t1, b1, t2, c1]));
    const codes = results.map((r) =>
      r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code,
    );
    // t2 evicted b1 (background below telemetry); c1 then found the queue full of telemetry and
    // evicted the newest of it (t2).
    expect(codes).toEqual(['ok', 'ok', ErrorCode.QueueOverflow, ErrorCode.QueueOverflow, 'ok']);
    const c2 = client.readHoldingRegisters(1, 0, 1, { priority: 'background' });
    const c3 = client.readHoldingRegisters(1, 0, 1, { priority: 'background' });
    const c4 = client.readHoldingRegisters(1, 0, 1, { priority: 'background' });
    const c5 = client.readHoldingRegisters(1, 0, 1, { priority: 'background' });
    const r2 = await run(clock, Promise.allSettled([c2, c3, c4, c5]));
    expect(r2.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
  });

  it('broadcast writes get no response and give slaves the broadcast delay', async () => {
    const { clock, client, slaves, line } = setup();
    await run(clock, client.writeSingleRegister(0, 302, 1234));
    expect(slaves.seen).toHaveLength(1);
    const sentAt = line.transcript[0]!.endUs / 1000;
    await run(clock, client.readHoldingRegisters(1, 302, 1));
    expect(line.transcript[1]!.startUs / 1000 - sentAt).toBeGreaterThanOrEqual(100);
    expect(client.counters(0)).toMatchObject({ requests: 1, responses: 0, timeouts: 0 });
    const e = await rejection(client.readHoldingRegisters(0, 0, 1));
    expect(isOrv3Error(e, ErrorCode.ModbusBadRequest)).toBe(true);
  });

  it('rejects bad arguments before queueing', async () => {
    const { client, slaves } = setup();
    for (const p of [
      client.readHoldingRegisters(248, 0, 1),
      client.readHoldingRegisters(1, 0, 126),
      client.readInputRegisters(1, 65535, 2),
      client.writeSingleRegister(1, 0, 70000),
      client.writeMultipleRegisters(1, 0, [1.5]),
      client.writeMultipleRegisters(1, 0, []),
    ]) {
      expect(isOrv3Error(await rejection(p), ErrorCode.ModbusBadRequest)).toBe(true);
    }
    expect(slaves.seen).toEqual([]);
  });

  it('per-unit timeouts and turnaround feed the default timeout', async () => {
    const { clock, client, slaves } = setup();
    slaves.fault = () => null;
    client.configureUnit(1, { timeoutMs: 30 });
    const t0 = clock.nowMs();
    await rejection(run(clock, client.writeSingleRegister(1, 0, 0)));
    expect(clock.nowMs() - t0).toBeCloseTo(30, 6);
    client.configureUnit(2, { turnaroundUs: 20_000 });
    const t1 = clock.nowMs();
    await rejection(run(clock, client.writeSingleRegister(2, 0, 0)));
    // Guard after the previous timeout (50 ms), then 100 ms + 2.005 + 16 chars + 20 ms.
    expect(clock.nowMs() - t1).toBeCloseTo(50 + 100 + 2.0052 + 16 * (11 / 19.2) + 20, 3);
  });

  it('changes baud rate in queue order', async () => {
    const { clock, client, line } = setup(19200);
    const a = client.readHoldingRegisters(1, 0, 1);
    const b = client.setBaudRate(115200);
    const c = client.readHoldingRegisters(1, 0, 1);
    await run(clock, Promise.all([a, b, c]));
    expect(line.baudRate).toBe(115200);
    expect(client.baudRate).toBe(115200);
    const rx = line.transcript.filter((r) => r.dir === 'rx');
    expect(rx[0]!.endUs - rx[0]!.startUs).toBeCloseTo(7 * (11 / 19200) * 1e6, 3);
    expect(rx[1]!.endUs - rx[1]!.startUs).toBeCloseTo(7 * (11 / 115200) * 1e6, 3);
  });
});
