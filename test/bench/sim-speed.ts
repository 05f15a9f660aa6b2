/**
 * bench:sim — simulated seconds per wall second for one HPR zone (6 PSUs + 6 BBUs) at the
 * default physics step, for several load kinds, and the same runs with the quiet step disabled
 * (every step ≤ 1 ms, as when a gateway ticks at 1 kHz). Prints a table, or JSON with --json.
 * Target (issue 2): ≥ 1000× real time at the default step on a 2-core machine.
 */
import { parseScenario, defaultSharedDir } from '../../sim/scenario/index.js';
import { runScenario } from '../../sim/run/runner.js';

interface Case {
  name: string;
  json: (durationS: number) => Record<string, unknown>;
}

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const secondsArg = args.find((a) => a.startsWith('--seconds='));
const durationS = secondsArg ? Number(secondsArg.split('=')[1]) : 300;

const base = (d: number) => ({
  seed: 1,
  zone: { preset: 'orv3-hpr-33kw' },
  durationS: d,
  criteria: {},
});
const cases: Case[] = [
  {
    name: 'constant 80 %',
    json: (d) => ({
      ...base(d),
      name: 'bench-constant',
      load: { kind: 'constant', watts: 26400 },
      grid: { events: [] },
    }),
  },
  {
    name: 'training swing 1 Hz 40–80 %',
    json: (d) => ({
      ...base(d),
      name: 'bench-swing',
      load: { kind: 'swing', lowW: 13200, highW: 26400, periodS: 1, duty: 0.5 },
      grid: { events: [] },
    }),
  },
  {
    name: 'swing + 0 p.u. 150 ms sag every 60 s',
    json: (d) => ({
      ...base(d),
      name: 'bench-sags',
      load: { kind: 'swing', lowW: 13200, highW: 26400, periodS: 1, duty: 0.5 },
      grid: {
        events: Array.from({ length: Math.ceil((d - 5) / 60) }, (_, i) => ({
          atS: 5 + 60 * i,
          pu: 0,
          durationMs: 150,
        })),
      },
    }),
  },
];

interface Row {
  case: string;
  step: string;
  simS: number;
  wallS: number;
  speedup: number;
  fineSteps: number;
  coarseSteps: number;
}
const rows: Row[] = [];
const sharedDir = defaultSharedDir();
// Warm the JIT on every case first, so that no case is timed with a cold step loop.
for (const c of cases)
  runScenario(parseScenario(c.json(Math.max(10, durationS / 5)), { sharedDir }));
for (const c of cases) {
  for (const quiet of [true, false]) {
    const make = (d: number) => {
      const j = c.json(d);
      return parseScenario(quiet ? j : { ...j, physics: { step: { quietStepUs: 1000 } } }, {
        sharedDir,
      });
    };
    // Median of three runs: single runs on a shared 2-core VM vary by ±30 %.
    const runs = [0, 1, 2].map(() => runScenario(make(durationS)));
    runs.sort((a, b) => a.sim.wallS - b.sim.wallS);
    const r = runs[1]!;
    rows.push({
      case: c.name,
      step: quiet
        ? 'default (50 µs / 1 ms / 10 ms quiet)'
        : '≤ 1 ms (quiet off, gateway-tick grid)',
      simS: r.sim.durationS,
      wallS: r.sim.wallS,
      speedup: r.sim.speedup,
      fineSteps: r.sim.fineSteps,
      coarseSteps: r.sim.coarseSteps,
    });
  }
}

if (asJson) {
  process.stdout.write(
    JSON.stringify({ bench: 'sim', zone: 'orv3-hpr-33kw', rows }, null, 2) + '\n',
  );
} else {
  const head = ['case', 'step', 'sim s', 'wall s', 'sim s / wall s', 'fine', 'coarse'];
  const body = rows.map((r) => [
    r.case,
    r.step,
    r.simS.toFixed(0),
    r.wallS.toFixed(3),
    `${r.speedup.toFixed(0)}×`,
    String(r.fineSteps),
    String(r.coarseSteps),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((x, i) => x.padEnd(w[i]!)).join('  ');
  process.stdout.write(`bench:sim — one HPR zone (6 PSUs + 6 BBUs), node ${process.version}\n`);
  process.stdout.write(line(head) + '\n' + body.map(line).join('\n') + '\n');
  const worst = Math.min(...rows.filter((r) => r.step.startsWith('default')).map((r) => r.speedup));
  process.stdout.write(
    `\nslowest case at the default step: ${worst.toFixed(0)}× real time (target ≥ 1000×)\n`,
  );
}
