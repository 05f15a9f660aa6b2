import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/index.js';
import { Journal } from '../../../src/journal/index.js';
import { createSimGateway, type SimGateway } from '../../../src/simlink/index.js';
import { rebaseEpoch } from '../../../src/simlink/index.js';
import { parseScenario } from '../../../sim/scenario/index.js';
import { demoScenarioJson } from '../../../sim/demo.js';

/**
 * Re-anchoring a simulated shelf's epoch after unpaced discovery (`run --sim`): the clock's
 * wall-time mapping moves, the journal's stamps move with it, stamps derived from monotonic
 * time follow, and monotonic time itself does not move.
 */

const ORIGIN = 1_767_225_600_000;

/** Only the members rebaseEpoch touches: the shared clock and the gateway's journal. */
function shelf() {
  const clock = new VirtualClock({ epochOriginMs: ORIGIN });
  const journal = new Journal(clock, 4);
  const sg = { sim: { clock }, gateway: { journal } } as unknown as SimGateway;
  return { sg, clock, journal };
}

const note = (journal: Journal, message: string) =>
  journal.append({ severity: 'OK', origin: 'device', messageId: 'Test.1.0.Note', message });

describe('rebaseEpoch (simulated shelf)', () => {
  it('moves the journal by the clock’s shift: older entries stay ordered and in the past', () => {
    const { sg, clock, journal } = shelf();
    note(journal, 'a');
    clock.advance(4_000);
    note(journal, 'b');
    clock.advance(7_300);
    // 11.3 s of bus time ran in 1 s of wall time.
    const wallNow = ORIGIN + 1_000;
    expect(rebaseEpoch(sg, wallNow)).toBe(-10_300);
    expect(clock.epochMs()).toBe(wallNow);
    expect(clock.nowMs()).toBe(11_300);
    expect(journal.entries().map((e) => [e.message, e.atEpochMs])).toEqual([
      ['a', wallNow - 11_300],
      ['b', wallNow - 7_300],
    ]);
    clock.advance(500);
    const c = note(journal, 'c');
    expect(c.atEpochMs).toBe(wallNow + 500);
    expect(journal.entries().map((e) => e.id)).toEqual([1, 2, 3]);
    expect(journal.get(2)!.atEpochMs).toBe(wallNow - 7_300);
  });

  it('restamps a full ring (wrapped, some evicted) and keeps ids and order', () => {
    const { sg, clock, journal } = shelf();
    for (let i = 0; i < 6; i++) {
      note(journal, `n${i}`);
      clock.advance(1_000);
    }
    const before = journal.entries();
    rebaseEpoch(sg, clock.epochMs() - 2_500);
    const after = journal.entries();
    expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
    expect(after.map((e) => e.atEpochMs)).toEqual(before.map((e) => e.atEpochMs - 2_500));
    expect(journal.evicted).toBe(2);
  });

  it('is followed by the gateway’s sample stamps (toEpoch), computed from monotonic time', () => {
    const sg = createSimGateway(parseScenario(demoScenarioJson(60)), {
      epochOriginMs: ORIGIN,
      inventory: true,
    });
    const clock = sg.sim.clock;
    clock.advance(11_300);
    const sampledAt = 11_000;
    expect(sg.gateway.toEpoch(sampledAt)).toBe(ORIGIN + 11_000);
    rebaseEpoch(sg, ORIGIN + 1_000);
    // A sample taken 300 ms ago is stamped 300 ms before the new "now".
    expect(sg.gateway.toEpoch(sampledAt)).toBe(ORIGIN + 700);
    expect(sg.gateway.toEpoch(clock.nowMs())).toBe(clock.epochMs());
  });
});
