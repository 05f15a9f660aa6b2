/**
 * Events for the control loop's mode changes, taken from the gateway's journal as the loop
 * writes them (its `control mode A → B` entries). Reading the journal, not polling
 * `gateway.control`, catches every change: a ride through a 150 ms sag can begin and end
 * between two looks of the 100 ms telemetry monitor.
 *
 * Messages, all from the DMTF ResourceEvent registry, about the Manager:
 * - the Manager's health changes (to or from `autonomous`, see health.ts):
 *   `ResourceStatusChangedWarning` / `ResourceStatusChangedOK`;
 * - any other change (normal ↔ ride ↔ recover): `ResourceChanged` — no registry has a message
 *   for a control mode, and this one tells a subscriber to read the Manager again.
 * Each event's `Oem.Orv3Gateway.ControlLoop` carries `Mode` and `PreviousMode`, so a subscriber
 * learns the mode even when it has moved on by the time it reads the Manager.
 */
import type { Journal, JournalEntry } from '../../../journal/index.js';
import { isLoopMode, modeName, OEM_ID, type LoopMode } from '../control-loop.js';
import { loopModeHealth } from '../health.js';
import type { EventBus } from './event-service.js';

/** The loop journals a mode change as `OpenRackGateway.1.0.Mode<To>` with args [from, to]. */
const MODE_ENTRY = /\.Mode[A-Z][A-Za-z]*$/;

/** A mode change recorded by the control loop, or null for any other journal entry. */
export function modeChangeOf(e: JournalEntry): { from: LoopMode; to: LoopMode } | null {
  if (e.origin !== 'control' || !MODE_ENTRY.test(e.messageId)) return null;
  const [from, to] = e.args ?? [];
  // from === to: a decision inside ride (left to the native rule), not a change of mode.
  if (!isLoopMode(from) || !isLoopMode(to) || from === to) return null;
  return { from, to };
}

export interface ManagerRef {
  /** The Manager's @odata.id. */
  readonly uri: string;
  /** Its Id, the resource name in the messages' arguments. */
  readonly id: string;
}

export class ControlWatch {
  private off: (() => void) | undefined;
  /** Mode-change events published, for tests and diagnostics. */
  published = 0;

  constructor(
    private readonly journal: Journal,
    private readonly bus: EventBus,
    private readonly manager: ManagerRef,
  ) {}

  start(): void {
    this.off ??= this.journal.subscribe((e) => this.onEntry(e));
  }

  stop(): void {
    this.off?.();
    this.off = undefined;
  }

  private onEntry(e: JournalEntry): void {
    const change = modeChangeOf(e);
    if (!change) return;
    const was = loopModeHealth(change.from);
    const now = loopModeHealth(change.to);
    const origin = { uri: this.manager.uri, type: 'Manager' };
    const oem = {
      [OEM_ID]: {
        ControlLoop: { Mode: modeName(change.to), PreviousMode: modeName(change.from) },
      },
    };
    if (was === now) this.bus.publish('ResourceEvent.ResourceChanged', [], origin, oem);
    else
      this.bus.publish(
        now === 'OK'
          ? 'ResourceEvent.ResourceStatusChangedOK'
          : 'ResourceEvent.ResourceStatusChangedWarning',
        [this.manager.id, now],
        origin,
        oem,
      );
    this.published++;
  }
}
