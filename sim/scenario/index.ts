/**
 * sim/scenario: the scenario file contract of docs/SCENARIOS.md — schema, loader, defaults, and
 * the grid envelope as a function of time. Pure data in, frozen data out; nothing here runs.
 */
export { loadScenarioFile } from './file.js';
export { eventEdges, gridAt, nextGridBreakS, type GridState } from './grid.js';
export { createScenarioLoadModel } from './load.js';
export { parseScenario, type ParseOptions } from './parse.js';
export { SCENARIO_SCHEMA } from './schema.js';
export { defaultSharedDir } from './shared-dir.js';
export type { Criteria, GridEvent, GridSpec, Scenario } from './types.js';
