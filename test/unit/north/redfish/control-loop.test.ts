/**
 * The control loop on the Redfish side without a service: the Manager's OEM object and health
 * from a ControlStatus, and the events ControlWatch derives from the loop's journal entries
 * (written here exactly as src/control/loop/control-loop.ts writes them; the integration test
 * test/integration/redfish/control-loop.test.ts runs the real loop).
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import type { ControlStatus } from '../../../../src/gateway/index.js';
import { Journal, type JournalInput } from '../../../../src/journal/index.js';
import { controlLoopJson, managerOem } from '../../../../src/north/redfish/control-loop.js';
import { ControlWatch, modeChangeOf } from '../../../../src/north/redfish/events/control-watch.js';
import { EventBus, type EventRecord } from '../../../../src/north/redfish/events/event-service.js';
import { eventPayload } from '../../../../src/north/redfish/events/subscriptions.js';
import { managerHealth } from '../../../../src/north/redfish/health.js';
import { MessageRegistries } from '../../../../src/north/redfish/messages.js';
import { defaultRegistryDir } from '../../../../src/north/redfish/paths.js';
import {
  RedfishSchemaValidator,
  schemasAvailable,
} from '../../../conformance/support/schema-validator.js';
import { SHARED_PRESENT } from '../../../support/sim.js';

if (!SHARED_PRESENT) console.warn('redfish control loop: ../shared absent; event tests skipped');
const HAVE_SCHEMAS = SHARED_PRESENT && schemasAvailable();

type Mode = ControlStatus['mode'];
const MANAGER = { uri: '/redfish/v1/Managers/Gateway', id: 'Gateway' };

/** A mode change as the control loop journals it. */
const modeEntry = (from: Mode, to: Mode): JournalInput => ({
  severity: to === 'ride' || to === 'autonomous' ? 'Warning' : 'OK',
  origin: 'control',
  messageId: `OpenRackGateway.1.0.Mode${to[0]!.toUpperCase()}${to.slice(1)}`,
  message: `control mode ${from} → ${to}: test`,
  args: [from, to],
});

describe('the Manager’s control loop object and health', () => {
  it('maps every field of the status, with Redfish (PascalCase) mode names', () => {
    const s: ControlStatus = { mode: 'ride', ticks: 2150, overruns: 3, throttleRequested: true };
    expect(controlLoopJson(s)).toEqual({
      Mode: 'Ride',
      Ticks: 2150,
      Overruns: 3,
      ThrottleRequested: true,
    });
    const names = (['autonomous', 'normal', 'ride', 'recover'] as const).map(
      (mode) => controlLoopJson({ ...s, mode })!['Mode'],
    );
    expect(names).toEqual(['Autonomous', 'Normal', 'Ride', 'Recover']);
    expect(managerOem(s)).toEqual({ Orv3Gateway: { ControlLoop: controlLoopJson(s) } });
  });

  it('keeps the OEM key with a null ControlLoop when no loop runs', () => {
    expect(controlLoopJson(null)).toBeNull();
    expect(managerOem(null)).toEqual({ Orv3Gateway: { ControlLoop: null } });
  });

  it('is Warning only while a running loop is autonomous', () => {
    const at = (mode: Mode): ControlStatus => ({
      mode,
      ticks: 1,
      overruns: 0,
      throttleRequested: false,
    });
    expect(managerHealth(null)).toBe('OK');
    expect(managerHealth(at('autonomous'))).toBe('Warning');
    for (const m of ['normal', 'ride', 'recover'] as const) expect(managerHealth(at(m))).toBe('OK');
    // A throttle request is the rack's condition (load over the cap), not the Manager's.
    expect(managerHealth({ ...at('normal'), throttleRequested: true })).toBe('OK');
  });
});

describe('mode changes in the journal', () => {
  const clock = new VirtualClock();
  const j = new Journal(clock);

  it('recognises the loop’s mode-change entries and nothing else', () => {
    expect(modeChangeOf(j.append(modeEntry('normal', 'ride')))).toEqual({
      from: 'normal',
      to: 'ride',
    });
    // ride → ride: the outage is left to the native rule; the mode does not change.
    expect(modeChangeOf(j.append(modeEntry('ride', 'ride')))).toBeNull();
    expect(modeChangeOf(j.append({ ...modeEntry('normal', 'ride'), origin: 'north' }))).toBeNull();
    expect(
      modeChangeOf(j.append({ ...modeEntry('normal', 'ride'), args: ['normal', 'cruise'] })),
    ).toBeNull();
    const throttle = j.append({
      severity: 'Warning',
      origin: 'control',
      messageId: 'OpenRackGateway.1.0.ThrottleRequested',
      message: 'throttle requested',
    });
    expect(modeChangeOf(throttle)).toBeNull();
  });
});

describe.skipIf(!SHARED_PRESENT)('ControlWatch: events for mode changes', () => {
  function setup() {
    const clock = new VirtualClock();
    const journal = new Journal(clock);
    const bus = new EventBus(clock, MessageRegistries.load(defaultRegistryDir()));
    const seen: EventRecord[] = [];
    bus.subscribe((e) => seen.push(e));
    const watch = new ControlWatch(journal, bus, MANAGER);
    watch.start();
    return { journal, seen, watch };
  }
  const short = (e: EventRecord): string =>
    `${e.prefix}.${e.message.MessageId.slice(e.message.MessageId.lastIndexOf('.') + 1)}`;

  it('sends one event per change, about the Manager, with the modes in Oem', () => {
    const { journal, seen, watch } = setup();
    const path: [Mode, Mode][] = [
      ['autonomous', 'normal'],
      ['normal', 'ride'],
      ['ride', 'ride'], // not a change
      ['ride', 'recover'],
      ['recover', 'normal'],
      ['normal', 'autonomous'],
    ];
    for (const [from, to] of path) journal.append(modeEntry(from, to));
    journal.append({
      severity: 'OK',
      origin: 'command',
      messageId: 'OpenRackGateway.1.0.PsuRestarted',
      message: 'psu-200: EXT_PSU_RESTART sent',
      subject: 'psu-200',
    });
    expect(seen.map(short)).toEqual([
      'ResourceEvent.ResourceStatusChangedOK',
      'ResourceEvent.ResourceChanged',
      'ResourceEvent.ResourceChanged',
      'ResourceEvent.ResourceChanged',
      'ResourceEvent.ResourceStatusChangedWarning',
    ]);
    expect(watch.published).toBe(5);
    for (const e of seen) {
      expect(e.origin).toBe(MANAGER.uri);
      expect(e.resourceType).toBe('Manager');
    }
    expect(seen.map((e) => e.oem)).toEqual(
      [
        ['Normal', 'Autonomous'],
        ['Ride', 'Normal'],
        ['Recover', 'Ride'],
        ['Normal', 'Recover'],
        ['Autonomous', 'Normal'],
      ].map(([Mode, PreviousMode]) => ({ Orv3Gateway: { ControlLoop: { Mode, PreviousMode } } })),
    );
    const warn = seen[4]!.message;
    expect(warn.MessageArgs).toEqual(['Gateway', 'Warning']);
    expect(warn.MessageSeverity).toBe('Warning');
    expect(warn.Message).toBe("The health of resource 'Gateway' has changed to Warning.");
    expect(seen[0]!.message.MessageArgs).toEqual(['Gateway', 'OK']);
  });

  it('stops listening on stop()', () => {
    const { journal, seen, watch } = setup();
    watch.stop();
    journal.append(modeEntry('normal', 'ride'));
    expect(seen).toEqual([]);
  });

  it('puts Oem in the pushed Event payload', () => {
    const { journal, seen } = setup();
    journal.append(modeEntry('normal', 'ride'));
    const p = eventPayload(seen[0]!, 'ctx', true);
    const rec = (p['Events'] as Record<string, unknown>[])[0]!;
    expect(rec['Oem']).toEqual({
      Orv3Gateway: { ControlLoop: { Mode: 'Ride', PreviousMode: 'Normal' } },
    });
    expect(rec['OriginOfCondition']).toEqual({ '@odata.id': MANAGER.uri });
  });

  it.skipIf(!HAVE_SCHEMAS)('the Event payload validates against the DMTF Event schema', () => {
    const { journal, seen } = setup();
    journal.append(modeEntry('normal', 'autonomous'));
    const v = new RedfishSchemaValidator().validate(eventPayload(seen[0]!, 'ctx', true));
    expect(v.errors).toEqual([]);
    expect(v.schema).toMatch(/^Event\./);
  });
});
