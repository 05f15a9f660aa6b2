import type { ModbusClient } from '../bus/modbus/client.js';
import { ErrorCode, isOrv3Error } from '../errors.js';
import type { DeviceKind, ModbusRegisterMap } from '../regmap/index.js';

/** A device that answered its family's probe plausibly. */
export interface FoundDevice {
  readonly address: number;
  readonly family: string;
  readonly kind: DeviceKind;
  readonly map: ModbusRegisterMap;
  /** The probe word as text (the first two characters of an identity string). */
  readonly probeText: string;
}

/** An address that answered, but not as a device of its family should (or failed oddly). */
export interface ScanAnomaly {
  readonly address: number;
  readonly family: string;
  /** Error code (E403 exception, E402 CRC …) or 'implausible' for an answer that fails the check. */
  readonly code: string;
  readonly message: string;
}

export interface ScanReport {
  readonly devices: readonly FoundDevice[];
  readonly anomalies: readonly ScanAnomaly[];
  /** Addresses probed, and how many of them stayed silent (timeout: nobody there). */
  readonly probed: number;
  readonly silent: number;
  /** Families not scanned because their baud rate is not the line's. */
  readonly skippedFamilies: readonly string[];
  /**
   * Map addresses the transport cannot reach: RTU unit ids stop at 247 (248–255 are reserved),
   * yet the HPR PSU map lists 246–255. Reachable over Modbus TCP (unit ids to 255).
   */
  readonly unaddressable: readonly number[];
}

/** Highest unicast unit id of a transport (Modbus over Serial Line §2.2: 1–247). */
export function maxUnitOf(client: ModbusClient): number {
  return client.transport === 'rtu' ? 247 : 255;
}

export interface ScanOptions {
  /** Response timeout of one probe, ms (default 50: a present device answers within ~20 ms). */
  readonly timeoutMs?: number;
  /**
   * 'match' scans only families whose map baud rate is the client's (an RS-485 line runs at one
   * speed); 'any' scans all. Default: 'match' on RTU, 'any' on TCP and simulated clients.
   */
  readonly baud?: 'match' | 'any';
  /** Only these addresses (e.g. a re-scan of known ones); default every address of each map. */
  readonly addresses?: readonly number[];
  /** Called after each probe (progress for the CLI; a thrown error here aborts the scan). */
  readonly onProbe?: (address: number, outcome: 'found' | 'silent' | 'anomaly') => void;
}

/**
 * The probe register holds the start of an identity string (ORv3: model at 8, HPR: part number
 * at 0), so a real device answers printable ASCII; a word of binary or two NULs means whatever
 * answered is not a device of this family (or not yet initialised) and is not trusted.
 */
export function plausibleProbe(map: ModbusRegisterMap, word: number): boolean {
  const def = map.byAddress.get(map.probeRegister);
  const hi = word >> 8;
  const lo = word & 0xff;
  const printable = (b: number): boolean => b >= 0x20 && b <= 0x7e;
  if (def === undefined || def.format !== 'STRING') return word !== 0 && word !== 0xffff;
  return printable(hi) && (printable(lo) || lo === 0);
}

const probeText = (word: number): string =>
  String.fromCharCode(word >> 8, word & 0xff).replace(/\0+$/, '');

/**
 * Probes every address of every map's ranges: 1 word at the map's probe register, background
 * priority (live traffic goes first), a short timeout, no retries. The family follows from the
 * address range (ranges never overlap across maps) and the answer must pass `plausibleProbe`.
 * Errors other than silence are collected as anomalies; the scan always runs to the end.
 */
export async function scanBus(
  client: ModbusClient,
  maps: readonly ModbusRegisterMap[],
  opts: ScanOptions = {},
): Promise<ScanReport> {
  const timeoutMs = opts.timeoutMs ?? 50;
  const matchBaud = (opts.baud ?? (client.transport === 'rtu' ? 'match' : 'any')) === 'match';
  const only = opts.addresses === undefined ? undefined : new Set(opts.addresses);
  const devices: FoundDevice[] = [];
  const anomalies: ScanAnomaly[] = [];
  const skippedFamilies: string[] = [];
  const unaddressable: number[] = [];
  const maxUnit = maxUnitOf(client);
  let probed = 0;
  let silent = 0;
  for (const map of maps) {
    if (matchBaud && map.baudRate !== client.baudRate) {
      skippedFamilies.push(map.family);
      continue;
    }
    for (const [lo, hi] of map.addressRanges) {
      for (let address = lo; address <= hi; address++) {
        if (only !== undefined && !only.has(address)) continue;
        if (address > maxUnit) {
          unaddressable.push(address);
          continue;
        }
        probed++;
        const outcome = await probe(client, map, address, timeoutMs);
        if (outcome === 'silent') silent++;
        else if ('code' in outcome) anomalies.push(outcome);
        else devices.push(outcome);
        opts.onProbe?.(
          address,
          outcome === 'silent' ? 'silent' : 'code' in outcome ? 'anomaly' : 'found',
        );
      }
    }
  }
  return Object.freeze({
    devices: Object.freeze(devices.sort((a, b) => a.address - b.address)),
    anomalies: Object.freeze(anomalies),
    probed,
    silent,
    skippedFamilies: Object.freeze(skippedFamilies),
    unaddressable: Object.freeze(unaddressable),
  });
}

/** One probe: the found device, 'silent' on timeout, or an anomaly. */
export async function probe(
  client: ModbusClient,
  map: ModbusRegisterMap,
  address: number,
  timeoutMs: number,
): Promise<FoundDevice | ScanAnomaly | 'silent'> {
  let words: Uint16Array;
  try {
    words = await client.readHoldingRegisters(address, map.probeRegister, 1, {
      priority: 'background',
      timeoutMs,
      retries: 0,
    });
  } catch (e) {
    if (isOrv3Error(e, ErrorCode.ModbusTimeout)) return 'silent';
    const code = isOrv3Error(e) ? e.code : 'unknown';
    const message = e instanceof Error ? e.message : String(e);
    return { address, family: map.family, code, message };
  }
  const word = words[0] ?? 0;
  if (words.length !== 1 || !plausibleProbe(map, word)) {
    return {
      address,
      family: map.family,
      code: 'implausible',
      message: `probe register ${map.probeRegister} read 0x${word.toString(16).padStart(4, '0')}`,
    };
  }
  return { address, family: map.family, kind: map.kind, map, probeText: probeText(word) };
}
