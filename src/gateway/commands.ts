import { Bbu, Psu } from '../devices/index.js';
import type { CommandResult, CommandSink, WorkloadHint } from '../north/mqtt/source.js';
import type { Gateway } from './gateway.js';

/** SoC below which a BBU self-test (a short forced discharge) is refused: reserve first. */
export const SELF_TEST_MIN_SOC_PCT = 95;
/** Duration of the self-test discharge, s (the ORv3 SoH test is a discharge test). */
export const SELF_TEST_DURATION_S = 10;

/** Output above which a PSU power cycle from the north side is refused, W. */
export const PSU_RESET_MAX_LOAD_W = 50;

const refuse = (reason: string): CommandResult => ({ ok: false, reason });
const ok: CommandResult = { ok: true };

/**
 * What the north side may ask, validated here again whatever the caller checked. Until the
 * control core lands the power cap is validated, stored and reflected (it has no actuator yet).
 */
export class GatewayCommands implements CommandSink {
  powerCapW: number | null = null;
  readonly hints: WorkloadHint[] = [];
  /** The control loop's feed-forward listens here (src/gateway/control-link.ts). */
  readonly hintListeners = new Set<(h: WorkloadHint) => void>();
  private readonly maxHints = 64;

  constructor(
    private readonly gw: Gateway,
    private readonly capBounds: { readonly min: number; readonly max: number },
  ) {}

  async setPowerCapW(watts: number | null): Promise<CommandResult> {
    if (watts === null) {
      this.powerCapW = null;
      return ok;
    }
    if (!Number.isFinite(watts) || watts < this.capBounds.min || watts > this.capBounds.max)
      return refuse(
        `power cap ${watts} W outside [${this.capBounds.min}, ${this.capBounds.max}] W`,
      );
    this.powerCapW = watts;
    return ok;
  }

  async locate(deviceId: string, on: boolean): Promise<CommandResult> {
    const d = this.device(deviceId);
    if (!(d instanceof Psu)) return refuse(`${deviceId}: not a PSU this gateway drives`);
    try {
      await d.locate(on);
      return ok;
    } catch (e) {
      return refuse(`${deviceId}: ${(e as Error).message}`);
    }
  }

  async bbuSelfTest(deviceId: string): Promise<CommandResult> {
    const d = this.device(deviceId);
    if (!(d instanceof Bbu)) return refuse(`${deviceId}: not a BBU this gateway drives`);
    const t = this.gw.bbu(d.unit);
    if (!t) return refuse(`${deviceId}: no telemetry yet`);
    if (t.charge.socPct < SELF_TEST_MIN_SOC_PCT)
      return refuse(
        `${deviceId}: SoC ${t.charge.socPct.toFixed(1)} % below ${SELF_TEST_MIN_SOC_PCT} %`,
      );
    if (t.status.discharging) return refuse(`${deviceId}: already discharging`);
    try {
      await d.forceDischarge(SELF_TEST_DURATION_S);
      return ok;
    } catch (e) {
      return refuse(`${deviceId}: ${(e as Error).message}`);
    }
  }

  /** Bounds a power cap must respect (the north side shows them as AllowableMin/Max). */
  get powerCapBoundsW(): { readonly min: number; readonly max: number } {
    return this.capBounds;
  }

  /** Back to no cap (Redfish Control.ResetToDefaults). */
  async resetPowerCap(): Promise<CommandResult> {
    return this.setPowerCapW(null);
  }

  /**
   * PSU reset from the north side. `clear-faults` releases a latched fault so the PSU may
   * restart; `power-cycle` turns the output off for 5 s, refused while the PSU still carries
   * more than PSU_RESET_MAX_LOAD_W (it would shed that load onto the others).
   */
  async psuReset(deviceId: string, kind: 'clear-faults' | 'power-cycle'): Promise<CommandResult> {
    const d = this.device(deviceId);
    if (!(d instanceof Psu)) return refuse(`${deviceId}: not a PSU this gateway drives`);
    try {
      if (kind === 'clear-faults') await d.clearFaults();
      else {
        const t = this.gw.psu(d.unit);
        if (!t) return refuse(`${deviceId}: no telemetry yet`);
        if (t.output.powerW > PSU_RESET_MAX_LOAD_W)
          return refuse(
            `${deviceId}: carries ${t.output.powerW.toFixed(0)} W; a power cycle would shed it`,
          );
        await d.powerCycle({ confirm: true });
      }
      return ok;
    } catch (e) {
      return refuse(`${deviceId}: ${(e as Error).message}`);
    }
  }

  async hint(h: WorkloadHint): Promise<CommandResult> {
    if (!Number.isFinite(h.deltaW) || !Number.isFinite(h.leadMs) || h.leadMs < 0)
      return refuse('hint: deltaW and leadMs must be finite, leadMs ≥ 0');
    this.hints.push(h);
    if (this.hints.length > this.maxHints) this.hints.shift();
    for (const l of this.hintListeners) l(h);
    return ok;
  }

  private device(id: string) {
    const m = /^(psu|bbu)-(\d+)$/.exec(id);
    return m ? this.gw.driver(Number(m[2])) : undefined;
  }
}
