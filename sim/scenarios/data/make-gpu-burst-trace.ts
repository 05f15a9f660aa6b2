/**
 * Generates gpu-burst-trace.csv, our own synthetic data (no measurement behind it): a
 * training-like job on a 33 kW HPR shelf. Each iteration computes near full power with some
 * jitter, then drops for a communication phase with millisecond edges; halfway through, a
 * checkpoint pause holds the rack low for about a second. Deterministic (seeded).
 *
 *   npx tsx sim/scenarios/data/make-gpu-burst-trace.ts > sim/scenarios/data/gpu-burst-trace.csv
 */
import { Rng } from '../../rng.js';

const rng = new Rng(2026).fork('gpu-burst-trace');
const rows: [number, number][] = [];
const point = (t: number, w: number): void => {
  rows.push([Math.round(t * 10000) / 10000, Math.round(w)]);
};

let t = 0;
point(t, 7000); // job launched, GPUs idle with the model loaded
t = 0.5;
for (let iter = 0; iter < 14; iter++) {
  if (iter === 7) {
    // Checkpoint: GPUs wait on storage.
    point(t, 9000);
    t += rng.uniform(0.9, 1.1);
    point(t, 9000);
  }
  const edgeS = rng.uniform(0.002, 0.005);
  point(t, rng.uniform(9000, 11000));
  t += edgeS;
  const computeS = rng.uniform(0.55, 0.7);
  const end = t + computeS;
  while (t < end - 0.04) {
    point(t, Math.min(31500, rng.normal(29500, 900)));
    t += rng.uniform(0.04, 0.06);
  }
  t = end;
  point(t, Math.min(31500, rng.normal(29500, 900)));
  t += rng.uniform(0.002, 0.005);
  point(t, rng.uniform(11000, 13000));
  t += rng.uniform(0.12, 0.18);
}
point(t, 7000);

process.stdout.write(
  '# Synthetic GPU burst trace, ours: see make-gpu-burst-trace.ts. time_s from scenario start.\n' +
    'time_s,watts\n' +
    rows.map(([a, b]) => `${a.toFixed(4)},${b}`).join('\n') +
    '\n',
);
