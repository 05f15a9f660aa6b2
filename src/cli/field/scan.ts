/**
 * `orv3gw scan`: discovery over the address ranges of the selected maps (scanBus), then for
 * each device found a timed probe (its latency) and the identity strings.
 */
import type { Command } from 'commander';
import type { ModbusClient } from '../../bus/index.js';
import { modbus } from '../../bus/index.js';
import { createDriver, scanBus } from '../../devices/index.js';
import type { Bbu, Psu, ScanOptions, ScanReport } from '../../devices/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import { mapForAddress } from '../../regmap/index.js';
import { parseAddressList, usageExits } from './args.js';
import { addConnectionOptions, openConnection } from './connection.js';
import type { Connection, ConnectionCliOptions, FieldHooks } from './connection.js';
import { errorText, table } from './format.js';

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
  progress?: ScanOptions['onProbe'],
): Promise<{ report: ScanReport; devices: ScannedDevice[]; drivers: (Psu | Bbu)[] }> {
  const client = gatewaySilenceAsTimeout(conn.client);
  const report = await conn.run(
    scanBus(client, conn.maps, {
      ...(conn.timeoutMs === undefined ? {} : { timeoutMs: conn.timeoutMs }),
      ...(addresses === undefined ? {} : { addresses }),
      ...(progress === undefined ? {} : { onProbe: progress }),
    }),
  );
  const devices: ScannedDevice[] = [];
  const drivers: (Psu | Bbu)[] = [];
  for (const d of report.devices) {
    const base = { address: d.address, family: d.family, kind: d.kind };
    const driver = createDriver(d, conn.client, conn.clock, timeoutOpt(conn));
    drivers.push(driver);
    try {
      // Identity first: its first request absorbs the late-response guard the scan's last
      // silent address left, so the probe below times the device alone.
      const id = await conn.run(driver.identity());
      const t0 = conn.clock.nowMs();
      const probed = conn.client
        .readHoldingRegisters(d.address, d.map.probeRegister, 1, {
          retries: 0,
          ...timeoutOpt(conn),
        })
        // Stamped on arrival: on --sim, `run` may carry the clock a little further.
        .then(() => conn.clock.nowMs());
      const latencyMs = Math.round(((await conn.run(probed)) - t0) * 1000) / 1000;
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
  return { report, devices, drivers };
}

export function timeoutOpt(conn: Connection): { timeoutMs?: number } {
  return conn.timeoutMs === undefined ? {} : { timeoutMs: conn.timeoutMs };
}

function formatScan(
  conn: Connection,
  report: ScanReport,
  devices: ScannedDevice[],
  outside: readonly number[],
): string {
  const rows = devices.map((d) => [
    String(d.address),
    d.family,
    d.kind.toUpperCase(),
    d.model ?? '?',
    d.serial ?? '?',
    d.fwRevision ?? '?',
    d.latencyMs === null ? '?' : d.latencyMs.toFixed(2),
  ]);
  let s = `orv3gw scan: ${conn.label}\n`;
  s += table(['addr', 'family', 'kind', 'model', 'serial', 'fw', 'latency ms'], rows);
  for (const d of devices) if (d.error) s += `  ${d.address}: identity unreadable: ${d.error}\n`;
  s +=
    `${devices.length} device(s), ${report.anomalies.length} anomal${report.anomalies.length === 1 ? 'y' : 'ies'}, ` +
    `${report.silent} silent of ${report.probed} probed\n`;
  for (const a of report.anomalies)
    s += `  anomaly ${a.address} (${a.family}): ${a.code} ${a.message}\n`;
  if (report.skippedFamilies.length > 0) {
    s += `skipped (map baud rate is not the line's ${conn.client.baudRate}): ${report.skippedFamilies.join(', ')}\n`;
  }
  if (outside.length > 0) {
    s += `in no address range of the selected maps (not probed): ${outside.join(', ')}\n`;
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
        const progress = ttyProgress();
        try {
          const { report, devices } = await scan(conn, addresses, progress.onProbe);
          progress.done();
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
              : formatScan(conn, report, devices, outsideMaps(conn, addresses)),
          );
        } finally {
          await conn.close();
        }
      }),
    );
}

/** Requested addresses that no selected map serves: scanBus skips them without a word. */
function outsideMaps(conn: Connection, addresses: readonly number[] | undefined): number[] {
  return (addresses ?? []).filter((a) => mapForAddress(conn.maps, a) === undefined);
}

/**
 * A progress line on a terminal's stderr (a real HPR line scan takes ≈ 11 s, mostly timeouts of
 * empty addresses); nothing when stderr is not a TTY, so logs and pipes stay clean.
 */
export function ttyProgress(): { onProbe?: ScanOptions['onProbe']; done(): void } {
  if (process.stderr.isTTY !== true) return { done: () => undefined };
  let found = 0;
  return {
    onProbe: (address, outcome) => {
      if (outcome === 'found') found++;
      process.stderr.write(`\r\x1b[Kscanning: address ${address}, ${found} found`);
    },
    done: () => void process.stderr.write('\r\x1b[K'),
  };
}
