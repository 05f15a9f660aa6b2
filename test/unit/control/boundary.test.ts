import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The gateway sees the shelf only through its buses (issue 4, item 5): no module reachable from
 * the gateway's entry points — control, gateway, north, devices, bus — imports the simulator.
 * Static, over the real import graph (type-only imports included: they would still couple).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ENTRIES = [
  'src/control/index.ts',
  'src/control/realtime/index.ts',
  'src/control/predictor/index.ts',
  'src/gateway/index.ts',
  'src/gateway/control-link.ts',
  'src/north/mqtt/index.ts',
  'src/north/redfish/index.ts',
];

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(src); m !== null; m = re.exec(src)) {
    const spec = m[1] ?? m[2]!;
    if (!spec.startsWith('.')) continue;
    const base = resolve(dirname(file), spec).replace(/\.js$/, '');
    for (const cand of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(cand)) out.push(cand);
  }
  return out;
}

function reachable(entries: string[]): Map<string, string> {
  const seen = new Map<string, string>();
  const stack = entries.map((e) => ({ f: join(ROOT, e), from: '(entry)' }));
  while (stack.length > 0) {
    const { f, from } = stack.pop()!;
    if (seen.has(f)) continue;
    seen.set(f, from);
    for (const g of importsOf(f)) stack.push({ f: g, from: f });
  }
  return seen;
}

describe('gateway/simulator boundary', () => {
  const graph = reachable(ENTRIES.filter((e) => existsSync(join(ROOT, e))));

  it('walks a real graph (the gateway, the control core and both north sides)', () => {
    const files = [...graph.keys()].map((f) => relative(ROOT, f));
    expect(files.some((f) => f.startsWith('src/control/loop/'))).toBe(true);
    expect(files.some((f) => f.startsWith('src/bus/pmbus/'))).toBe(true);
    expect(files.length).toBeGreaterThan(60);
  });

  it('reaches no simulator module and no harness that joins both sides', () => {
    const bad = [...graph.entries()]
      .map(([f, from]) => ({ f: relative(ROOT, f), from: relative(ROOT, from) }))
      .filter(
        ({ f }) => f.startsWith('sim/') || f.startsWith('src/simlink/') || f.startsWith('src/cli'),
      );
    expect(bad).toEqual([]);
  });
});
