import { createLoadModel, type LoadModel } from '../load/index.js';
import { isOrv3Error, Orv3Error } from '../../src/errors.js';
import type { Scenario } from './types.js';

/** The scenario's load model; errors name the scenario file as parse errors do. */
export function createScenarioLoadModel(s: Scenario): LoadModel {
  try {
    return createLoadModel(s.load, {
      seed: s.seed,
      durationS: s.durationS,
      baseDir: s.source.baseDir,
      // parseScenario already resolved `$SHARED/` paths to absolute ones.
      sharedDir: s.source.baseDir,
      fieldPath: 'load',
    });
  } catch (e) {
    if (!isOrv3Error(e) || s.source.file === null) throw e;
    const file = s.source.file;
    const message = e.message
      .split('\n')
      .map((line) => `${file}: ${line}`)
      .join('\n');
    throw new Orv3Error(e.code, message, {
      ...e.context,
      file: s.source.file,
    });
  }
}
