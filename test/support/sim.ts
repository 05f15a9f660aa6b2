import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { loadScenarioFile, parseScenario } from '../../sim/scenario/index.js';
import type { Scenario } from '../../sim/scenario/index.js';
import { Simulation } from '../../sim/simulation.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** ../shared beside the repo unless ORV3GW_SHARED_DIR says otherwise (CI default). */
export const SHARED_DIR = process.env.ORV3GW_SHARED_DIR ?? resolve(REPO, '../shared');
export const SHARED_PRESENT = existsSync(SHARED_DIR);

export function libraryScenario(name: string): Scenario {
  return loadScenarioFile(resolve(REPO, 'sim/scenarios', `${name}.json`), {
    sharedDir: SHARED_DIR,
  });
}

export function inlineScenario(json: Record<string, unknown>): Scenario {
  return parseScenario({ criteria: {}, seed: 1, ...json });
}

export function simulate(s: Scenario): Simulation {
  return new Simulation(s);
}
