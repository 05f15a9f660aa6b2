/**
 * `orv3gw scan`: discovery over the address ranges of the selected maps (scanBus), then for
 * each device found a timed probe (its latency) and the identity strings.
 */
import type { Command } from 'commander';
import type { ModbusClient } from '../../bus/index.js';
import { modbus } from '../../bus/index.js';
import { createDriver, scanBus } from '../../devices/index.js';
import type { ScanReport } from '../../devices/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import { parseAddressList, usageExits } from './args.js';
import { addConnectionOptions, openConnection } from './connection.js';
import type { Connection, ConnectionCliOptions, FieldHooks } from './connection.js';
import { errorText, num, table } from './format.js';

interface ScanCliOptions extends ConnectionCliOptions {
  addresses?: string;
}

export interface ScannedDevice {
  readonly address: number;
  readonly family: string;
  readonly kind: string;
  readonly model: string | null;
  readonly serial: string | null;
  readonly fwRevision: string | null;
  /** One probe read, request start → answer, on the connection's clock (ms). */
  readonly latencyMs: number | null;
  readonly error?: string;
}

const GATEWAY_TARGET_FAILED = 0x0b;

/**
 * A gateway answers 0x0B when the serial request behind it timed out: on the line that is
 * silence, so discovery should count it as such, not as an anomaly per empty address.
 */
export function gatewaySilenceAsTimeout(client: ModbusClient): ModbusClient {
  const silent =
    (unit: number) =>
    (e: unknown): never => {
      if (e instanceof modbus.ModbusExceptionError && e.exceptionCode === GATEWAY_TARGET_FAILED) {
        throw new Orv3Error(ErrorCode.ModbusTimeout, `unit ${unit}: no answer behind the gateway`);
      }
      throw e;
    };
  return {
    transport: client.transport,
    baudRate: client.baudRate,
    readHoldingRegisters: (u, s, c, o) => client.readHoldingRegisters(u, s, c, o).catch(silent(u)),
    readInputRegisters: (u, s, c, o) => client.readInputRegisters(u, s, c, o).catch(silent(u)),
    writeSingleRegister: (u, a, v, o) => client.writeSingleRegister(u, a, v, o),
    writeMultipleRegisters: (u, s, v, o) => client.writeMultipleRegisters(u, s, v, o),
    counters: (u) => client.counters(u),
    units: () => client.units(),
    close: () => client.close(),
  };
}

export async function scan(
  conn: Connection,
  addresses?: readonly number[],
): Promise<{ report: ScanReport; devices: ScannedDevice[] }> {
  const client = gatewaySilenceAsTimeout(conn.client);
  const report = await conn.run(
    scanBus(client, conn.maps, {
      ...(conn.timeoutMs === undefined ? {} : { timeoutMs: conn.timeoutMs }),
      ...(addresses === undefined ? {} : { addresses }),
    }),
  );
  const devices: ScannedDevice[] = [];
  for (const d of report.devices) {
    const base = { address: d.address, family: d.family, kind: d.kind };
    try {
      const t0 = conn.clock.nowMs();
      await conn.run(
        conn.client.readHoldingRegisters(d.address, d.map.probeRegister, 1, {
          retries: 0,
          ...(conn.timeoutMs === undefined ? {} : { timeoutMs: conn.timeoutMs }),
        }),
      );
      const latencyMs = conn.clock.nowMs() - t0;
      const driver = createDriver(d, conn.client, conn.clock, timeoutOpt(conn));
      const id = await conn.run(driver.identity());
      devices.push({
        ...base,
        model: id.model,
        serial: id.serial,
        fwRevision: id.fwRevision,
        latencyMs,
      });
    } catch (e) {
      // A device that answered the scan but not this: keep it, say why its identity is missing.
      devices.push({
        ...base,
        model: null,
        serial: null,
        fwRevision: null,
        latencyMs: null,
        error: errorText(e),
      });
    }
  }
  return { report, devices };
}

export function timeoutOpt(conn: Connection): { timeoutMs?: number } {
  return conn.timeoutMs === undefined ? {} : { timeoutMs: conn.timeoutMs };
}

function formatScan(conn: Connection, report: ScanReport, devices: ScannedDevice[]): string {
  const rows = devices.map((d) => [
    String(d.address),
    d.family,
    d.kind.toUpperCase(),
    d.model ?? '?',
    d.serial ?? '?',
    d.fwRevision ?? '?',
    d.latencyMs === null ? '?' : num(Number(d.latencyMs.toFixed(2))),
  ]);
  let s = `orv3gw scan: ${conn.label}\n`;
  s += table(['addr', 'family', 'kind', 'model', 'serial', 'fw', 'latency ms'], rows);
  for (const d of devices) if (d.error) s += `  ${d.address}: identity unreadable: ${d.error}\n`;
  s +=
    `${devices.length} device(s), ${report.anomalies.length} anomal${report.anomalies.length === 1 ? 'y' : 'ies'}, ` +
    `${report.silent} silent of ${report.probed} probed\n`;
  for (const a of report.anomalies) s += `  anomaly ${a.address} (${a.family}): ${a.code} ${a.message}\n`;
  if (report.skippedFamilies.length > 0) {
    s += `skipped (map baud rate is not the line's ${conn.client.baudRate}): ${report.skippedFamilies.join(', ')}\n`;
  }
  if (report.unaddressable.length > 0) {
    s += `not addressable over RTU (unit ids end at 247): ${report.unaddressable.join(', ')}\n`;
  }
  return s;
}

export function registerScanCommand(program: Command, hooks: FieldHooks): void {
  addConnectionOptions(
    program
      .command('scan')
      .description('discover PSUs and BBUs over the address ranges of the register maps'),
  )
    .option('--addresses <list>', 'only these addresses, e.g. 200-205,64')
    .action(
      usageExits(async (o: ScanCliOptions) => {
        const addresses = o.addresses === undefined ? undefined : parseAddressList(o.addresses);
        const conn = await openConnection(o, hooks);
        try {
          const { report, devices } = await scan(conn, addresses);
          process.stdout.write(
            o.json
              ? JSON.stringify(
                  {
                    connection: conn.label,
                    devices,
                    anomalies: report.anomalies,
                    probed: report.probed,
                    silent: report.silent,
                    skippedFamilies: report.skippedFamilies,
                    unaddressable: report.unaddressable,
                  },
                  null,
                  2,
                ) + '\n'
              : formatScan(conn, report, devices),
          );
        } finally {
          await conn.close();
        }
      }),
    );
}
