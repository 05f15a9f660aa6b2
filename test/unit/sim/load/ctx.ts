import type { LoadContext } from '../../../../sim/load/index.js';

export function ctx(durationS: number, over: Partial<LoadContext> = {}): LoadContext {
  return {
    seed: 1,
    durationS,
    baseDir: '/nonexistent',
    sharedDir: '/nonexistent',
    fieldPath: 'load',
    ...over,
  };
}
