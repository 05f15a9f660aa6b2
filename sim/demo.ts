/**
 * The embedded demo scenario behind `orv3gw run --sim` with no --scenario: one HPR shelf under
 * a training-like swing, with a short deep sag every 60 s and a 30 s AC loss at 150 s, so the
 * live status line shows every conventional behaviour within a few minutes.
 */
export function demoScenarioJson(durationS = 3600): Record<string, unknown> {
  const events: { atS: number; pu: number; durationMs: number }[] = [];
  for (let t = 30; t < durationS; t += 60) {
    if (t === 150) continue;
    events.push({ atS: t, pu: t % 120 === 30 ? 0.0 : 0.5, durationMs: 150 });
  }
  events.push({ atS: 150, pu: 0, durationMs: 30_000 });
  events.sort((a, b) => a.atS - b.atS);
  return {
    name: 'demo-live',
    description: 'Embedded demo: HPR shelf, 1 Hz training swing 40–80 %, sags and an AC loss',
    durationS,
    seed: 1,
    zone: { preset: 'orv3-hpr-33kw' },
    load: { kind: 'swing', lowW: 13200, highW: 26400, periodS: 1, duty: 0.5 },
    grid: { nominalVac: 277, events: events.filter((e) => e.atS < 150 || e.atS > 181) },
    criteria: { pfaprS: 1.0, minBusV: 46.0 },
  };
}
