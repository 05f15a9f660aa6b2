/**
 * `orv3gw monitor`: discovery, then one telemetry sweep per interval through the PSU/BBU
 * drivers, as a table of one row per device — redrawn in place on a TTY, appended otherwise
 * (logs, pipes), one JSON line per sweep with --json. `--once` for scripts and tests.
 */
import type { Command } from 'commander';
import type { Bbu, BbuTelemetry, Psu, PsuTelemetry } from '../../devices/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import { parseAddressList, parsePositive, usageExits } from './args.js';
import { addConnectionOptions, openConnection } from './connection.js';
import type { Connection, ConnectionCliOptions, FieldHooks } from './connection.js';
import { errorText, table } from './format.js';
import { scan, ttyProgress } from './scan.js';

interface MonitorCliOptions extends ConnectionCliOptions {
  intervalMs: string;
  once?: boolean;
  sweeps?: string;
  addresses?: string;
}

type Reading =
  | { readonly ok: true; readonly t: PsuTelemetry | BbuTelemetry }
  | { readonly ok: false; readonly error: string };

export interface MonitorRow {
  readonly address: number;
  readonly kind: 'psu' | 'bbu';
  readonly state: string;
  readonly summary: string;
  /** The summary's numbers in SI units, for --json (absent when the sweep failed). */
  readonly values?: Readonly<Record<string, number | string[]>>;
}

const f = (v: number, digits: number): string => v.toFixed(digits);

type RowBody = Pick<MonitorRow, 'state' | 'summary' | 'values'>;

/** State ok / alarm / off first: what a technician looks for. */
function psuRow(t: PsuTelemetry): RowBody {
  const off = t.output.voltageV < 1;
  const alarms = t.alarms.active;
  return {
    values: {
      vinV: t.input.voltageV,
      pinW: t.input.powerW,
      voutV: t.output.voltageV,
      ioutA: t.output.currentA,
      alarms: [...alarms],
    },
    state: off ? 'off' : alarms.length > 0 ? 'alarm' : 'ok',
    summary:
      `Vin ${f(t.input.voltageV, 1)} V  Pin ${f(t.input.powerW, 0)} W  ` +
      `Vout ${f(t.output.voltageV, 2)} V  Iout ${f(t.output.currentA, 1)} A  ` +
      `alarms ${alarms.length === 0 ? '-' : alarms.map((a) => a.split('.').pop()).join(',')}`,
  };
}

function bbuRow(t: BbuTelemetry): RowBody {
  const s = t.status;
  const base = s.discharging
    ? 'discharging'
    : s.charging
      ? 'charging'
      : s.fullyCharged
        ? 'full'
        : s.fullyDischarged
          ? 'empty'
          : 'idle';
  const mode = t.control.systemControlMode;
  const forced = t.control.forcedDischargeRemainingS;
  return {
    values: {
      socPct: t.charge.socPct,
      voltageV: t.pack.voltageV,
      currentA: t.pack.currentA,
      busV: t.bus.voltageV,
      mode,
      forcedDischargeRemainingS: forced,
      alarms: [...t.alarms.active],
    },
    state: t.alarms.active.length > 0 ? `${base},alarm` : base,
    summary:
      `SoC ${f(t.charge.socPct, 1)} %  V ${f(t.pack.voltageV, 2)} V  I ${f(t.pack.currentA, 2)} A  ` +
      `bus ${f(t.bus.voltageV, 2)} V  mode ${mode}${mode === 0 ? ' native' : ' system'}` +
      (forced > 0 ? ` forced ${forced} s` : ''),
  };
}

function rowOf(address: number, kind: 'psu' | 'bbu', r: Reading): MonitorRow {
  if (!r.ok) return { address, kind, state: 'error', summary: r.error };
  return { address, kind, ...(r.t.kind === 'psu' ? psuRow(r.t) : bbuRow(r.t)) };
}

async function sweep(conn: Connection, drivers: readonly (Psu | Bbu)[]): Promise<Reading[]> {
  const out: Reading[] = [];
  for (const d of drivers) {
    try {
      out.push({ ok: true, t: await conn.run<PsuTelemetry | BbuTelemetry>(d.readTelemetry()) });
    } catch (e) {
      // One silent device must not blank the table: its row says why.
      out.push({ ok: false, error: errorText(e) });
    }
  }
  return out;
}

export function formatRows(rows: readonly MonitorRow[]): string {
  return table(
    ['addr', 'kind', 'state', 'telemetry'],
    rows.map((r) => [String(r.address), r.kind.toUpperCase(), r.state, r.summary]),
  );
}

export function registerMonitorCommand(program: Command, hooks: FieldHooks): void {
  addConnectionOptions(
    program
      .command('monitor')
      .description('live table of every device’s key telemetry (one row per device)'),
  )
    .option('--interval-ms <ms>', 'time between sweeps', '1000')
    .option('--once', 'one sweep, then exit')
    .option('--sweeps <n>', 'stop after this many sweeps')
    .option('--addresses <list>', 'discover only these addresses, e.g. 144-149,48-53')
    .action(
      usageExits(async (o: MonitorCliOptions) => {
        const intervalMs = parsePositive(o.intervalMs, '--interval-ms', 3_600_000)!;
        const sweeps = o.once ? 1 : (parsePositive(o.sweeps, '--sweeps', 1e9) ?? Infinity);
        const addresses = o.addresses === undefined ? undefined : parseAddressList(o.addresses);
        const conn = await openConnection(o, hooks);
        let stop = false;
        const onSignal = (): void => void (stop = true);
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          // The scan's drivers already hold the identity strings, so sweeps read telemetry only.
          const progress = ttyProgress();
          const { drivers } = await scan(conn, addresses, progress.onProbe);
          progress.done();
          if (drivers.length === 0) {
            throw new Orv3Error(ErrorCode.UnknownDevice, `no devices found (${conn.label})`);
          }
          const tty = process.stdout.isTTY === true && !o.json;
          if (!o.json) {
            process.stdout.write(
              `orv3gw monitor: ${conn.label}; ${drivers.length} found, a sweep every ${intervalMs} ms` +
                `${tty ? ', Ctrl-C to stop' : ''}\n`,
            );
          }
          let drawn = 0;
          for (let n = 0; n < sweeps && !stop; n++) {
            const t0 = conn.clock.nowMs();
            const at = conn.sim
              ? `shelf t=${conn.sim.instruments.tS.toFixed(2)} s`
              : new Date(conn.clock.epochMs()).toISOString();
            const readings = await sweep(conn, drivers);
            const rows = drivers.map((d, i) => rowOf(d.unit, d.kind, readings[i]!));
            if (o.json) {
              process.stdout.write(JSON.stringify({ sweep: n + 1, at, rows }) + '\n');
            } else {
              const head = `sweep ${n + 1}, ${at}\n`;
              const text = head + formatRows(rows);
              // Redraw in place: up over the last table, clear to the end of the screen.
              process.stdout.write((tty && drawn > 0 ? `\x1b[${drawn}A\x1b[J` : '') + text);
              drawn = text.split('\n').length - 1;
            }
            if (n + 1 < sweeps && !stop) {
              await conn.wait(Math.max(0, intervalMs - (conn.clock.nowMs() - t0)));
            }
          }
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await conn.close();
        }
      }),
    );
}
