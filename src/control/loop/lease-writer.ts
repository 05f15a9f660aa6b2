import type { Clock } from '../../clock/index.js';
import type { ControlConfig } from '../config.js';
import type { Decision } from '../coordinator.js';
import type { ControlDevice, FastLaneIo, WritePoint } from '../io/fast-lane-io.js';
import type { SampleStore } from './samples.js';
import { ErrorCode, Orv3Error } from '../../errors.js';

/** Lease renewals (hold, charge limit) written per tick at most: they are never urgent. */
const RENEWALS_PER_TICK = 2;

export interface WriteOutcome {
  readonly writes: number;
  readonly failures: number;
  readonly busUs: number;
  readonly restarted: string | null;
}

type Outcome = { -readonly [K in keyof WriteOutcome]: WriteOutcome[K] };

/**
 * Turns decisions into the few writes that matter: a discharge setpoint when it moved by more
 * than a quantum or its lease is due for renewal, hold and charge-limit leases renewed in turn,
 * a PSU restart when asked. Every setpoint is leased (lengths written and verified at init), so
 * stopping writes is itself safe: the device reverts to native when the lease lapses.
 */
export class LeaseWriter {
  /** Discharge setpoint in force per BBU as far as we know, W (NaN: unknown → rewrite). */
  private readonly dis: Float64Array;
  private readonly disAt: Float64Array;
  private readonly chg: Float64Array;
  private readonly chgAt: Float64Array;
  private readonly holdAt: Float64Array;
  /** Discharge setpoint change waiting for bus time, per BBU (this tick's target, W). */
  private readonly target: Float64Array;
  private readonly pending: Uint8Array;
  /** What one setpoint write has cost on the wire, µs (learned; a word write with PEC). */
  private writeUs = 50;
  private renewTurn = 0;
  /** What `apply` returns, rewritten by each call (the loop reads it at once; see apply). */
  private readonly out: Outcome = { writes: 0, failures: 0, busUs: 0, restarted: null };
  /** Setpoint changes deferred to a later tick for want of bus time (counted, not lost). */
  deferred = 0;

  constructor(
    private readonly io: FastLaneIo,
    private readonly devices: readonly ControlDevice[],
    private readonly cfg: ControlConfig,
    private readonly clock: Clock,
  ) {
    const nb = devices.filter((d) => d.kind === 'bbu').length;
    this.dis = new Float64Array(nb);
    this.disAt = new Float64Array(nb).fill(-Infinity);
    this.chg = new Float64Array(nb).fill(NaN);
    this.chgAt = new Float64Array(nb).fill(-Infinity);
    this.holdAt = new Float64Array(devices.length).fill(-Infinity);
    this.target = new Float64Array(nb);
    this.pending = new Uint8Array(nb);
  }

  /** Writes the lease lengths a device's setpoints run under and reads them back. */
  verifyLeases(d: ControlDevice): void {
    if (d.kind === 'bbu') {
      this.set(d, 'bbuDischargeLeaseMs', this.cfg.dischargeLeaseMs);
      this.set(d, 'bbuChargeLeaseMs', this.cfg.chargeLeaseMs);
    } else {
      this.set(d, 'psuHoldLeaseMs', this.cfg.holdLeaseMs);
    }
  }

  private set(
    d: ControlDevice,
    point: 'bbuDischargeLeaseMs' | 'bbuChargeLeaseMs' | 'psuHoldLeaseMs',
    ms: number,
  ): void {
    this.io.write(d, point, ms);
    const back = this.io.readSetpoint(d, point);
    if (back !== ms) {
      throw new Orv3Error(
        ErrorCode.CommandOutOfBounds,
        `${d.id}: lease ${point} reads back ${back}, wrote ${ms}`,
        { device: d.id, point, wrote: ms, read: back },
      );
    }
  }

  /**
   * Ends every setpoint this writer holds, for a clean stop: discharges to 0, PSU hold arms
   * disarmed. Best effort: a write that fails is left to its lease. Returns the writes made.
   */
  releaseAll(bbuIdx: readonly number[], ready: Uint8Array, charge: () => number): number {
    let writes = 0;
    const tryWrite = (f: () => void): void => {
      try {
        f();
        writes++;
      } catch {
        // Its lease ends it.
      }
      charge();
    };
    for (let j = 0; j < bbuIdx.length; j++) {
      const i = bbuIdx[j]!;
      const cur = this.dis[j]!;
      if (!ready[i] || !(cur > 0 || Number.isNaN(cur))) continue;
      tryWrite(() => this.io.write(this.devices[i]!, 'bbuDischargeW', 0));
      this.dis[j] = 0;
    }
    for (let i = 0; i < this.devices.length; i++) {
      const d = this.devices[i]!;
      if (d.kind !== 'psu' || !ready[i] || this.holdAt[i] === -Infinity) continue;
      tryWrite(() => this.io.write(d, 'psuHold', 0));
      this.holdAt[i] = -Infinity;
    }
    return writes;
  }

  anyDischarge(): boolean {
    for (let j = 0; j < this.dis.length; j++) if (this.dis[j]! > 0) return true;
    return false;
  }

  /** Setpoint in force on BBU j (0 once its lease has lapsed), W. */
  dischargeInForce(j: number): number {
    const w = this.dis[j]!;
    if (!(w > 0)) return 0;
    return this.clock.nowMs() - this.disAt[j]! < this.cfg.dischargeLeaseMs ? w : 0;
  }

  /**
   * Writes what the decision changed. `budgetUs` is the bus time left in this tick: unknown
   * setpoints and leases past half their length always go; the rest go while the budget lasts
   * — discharge stops, then renewals due, then changes largest first — and the remainder waits
   * a tick (the decision is recomputed then).
   *
   * Runs every tick, so it creates no closures and returns the same outcome object each time:
   * it is valid until the next call (the loop copies its numbers into its stats at once).
   */
  apply(
    d: Decision,
    bbuIdx: readonly number[],
    ready: Uint8Array,
    samples: SampleStore,
    nowMs: number,
    charge: () => number,
    budgetUs = Infinity,
  ): WriteOutcome {
    const out = this.out;
    out.writes = 0;
    out.failures = 0;
    out.busUs = 0;
    out.restarted = null;
    let waiting = 0;
    for (let j = 0; j < bbuIdx.length; j++) {
      this.pending[j] = 0;
      const i = bbuIdx[j]!;
      if (!ready[i]) continue;
      const w = Math.round(d.dischargeW[j]!);
      const cur = this.dis[j]!;
      this.target[j] = w;
      const age = nowMs - this.disAt[j]!;
      // Unknown state, or past half its lease: written whatever the bus budget says. A stop
      // waits at most a tick or two (it goes first) — the BBU's own lease bounds it anyway.
      const urgent =
        Number.isNaN(cur) || (w > 0 && cur > 0 && age >= this.cfg.dischargeLeaseMs / 2);
      if (urgent) this.setDischarge(j, bbuIdx, nowMs, samples, charge);
      else if (
        (w === 0 && cur > 0) ||
        (w > 0 && cur > 0 && age >= this.cfg.dischargeRenewMs) ||
        Math.abs(w - cur) > Math.max(25, this.devices[i]!.ratedW * 0.01)
      ) {
        this.pending[j] = 1;
        waiting++;
      }
    }
    while (waiting > 0) {
      // Stops first, then renewals due (oldest first), then changes (largest first).
      let best = -1;
      let bestScore = -1;
      for (let j = 0; j < bbuIdx.length; j++) {
        if (!this.pending[j]) continue;
        const age = nowMs - this.disAt[j]!;
        const score =
          this.target[j] === 0
            ? 2e9
            : this.dis[j]! > 0 && age >= this.cfg.dischargeRenewMs
              ? 1e9 + age
              : Math.abs(this.target[j]! - this.dis[j]!);
        if (score > bestScore) {
          bestScore = score;
          best = j;
        }
      }
      if (out.busUs + this.writeUs > budgetUs) {
        this.deferred += waiting;
        break;
      }
      this.pending[best] = 0;
      waiting--;
      this.setDischarge(best, bbuIdx, nowMs, samples, charge);
    }
    if (d.restart !== null) {
      const i = this.devices.findIndex((x) => x.id === d.restart);
      if (i >= 0 && this.attempt(i, null, 0, samples, charge)) out.restarted = d.restart;
    }
    // Lease renewals, a couple per tick, in turn over the devices.
    let renewals = 0;
    const n = this.devices.length;
    for (let k = 0; k < n && renewals < RENEWALS_PER_TICK; k++) {
      const i = (this.renewTurn + k) % n;
      if (!ready[i]) continue;
      const dev = this.devices[i]!;
      // Renewals wait for bus time until half their lease has gone.
      const spare = out.busUs + this.writeUs <= budgetUs;
      if (dev.kind === 'psu') {
        const age = nowMs - this.holdAt[i]!;
        if (!d.hold || age < this.cfg.holdRenewMs) continue;
        if (!spare && age < this.cfg.holdLeaseMs / 2) continue;
        renewals++;
        if (this.attempt(i, 'psuHold', 1, samples, charge)) this.holdAt[i] = nowMs;
      } else {
        const j = bbuIdx.indexOf(i);
        const w = d.chargeW[j]!;
        if (Number.isNaN(w)) continue;
        const cw = Math.round(w);
        const moved = Number.isNaN(this.chg[j]!) || Math.abs(cw - this.chg[j]!) > 100;
        const age = nowMs - this.chgAt[j]!;
        if (!moved && age < this.cfg.chargeRenewMs) continue;
        if (!spare && age < this.cfg.chargeLeaseMs / 2) continue;
        renewals++;
        if (this.attempt(i, 'bbuChargeLimitW', cw, samples, charge)) {
          this.chg[j] = cw;
          this.chgAt[j] = nowMs;
        } else this.chg[j] = NaN;
      }
      this.renewTurn = i + 1;
    }
    return out;
  }

  /** Writes BBU j's target discharge; on failure its setpoint becomes unknown (rewritten). */
  private setDischarge(
    j: number,
    bbuIdx: readonly number[],
    nowMs: number,
    samples: SampleStore,
    charge: () => number,
  ): void {
    const w = this.target[j]!;
    if (this.attempt(bbuIdx[j]!, 'bbuDischargeW', w, samples, charge)) {
      this.dis[j] = w;
      this.disAt[j] = nowMs;
    } else this.dis[j] = NaN;
  }

  /**
   * One counted write to device i (`point` null: EXT_PSU_RESTART), its bus time charged and
   * learned. A failure is a missed sample of the device, never an exception.
   */
  private attempt(
    i: number,
    point: WritePoint | null,
    value: number,
    samples: SampleStore,
    charge: () => number,
  ): boolean {
    const out = this.out;
    const dev = this.devices[i]!;
    out.writes++;
    try {
      if (point === null) this.io.restart(dev);
      else this.io.write(dev, point, value);
      return true;
    } catch {
      out.failures++;
      samples.fail(i);
      return false;
    } finally {
      const us = charge();
      out.busUs += us;
      if (us > 0) this.writeUs += 0.2 * (us - this.writeUs);
    }
  }
}
