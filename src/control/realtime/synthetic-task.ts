import { createFastLaneTask } from './fast-lane-task.js';
import { createSyntheticStep } from './synthetic-step.js';
import type { TaskFactory } from './task.js';

/**
 * The bench's tick body: the fast-lane tick shape over the SYNTHETIC I/O stand-in, with the
 * SYNTHETIC control step. Wiring in the real control step is this one line: pass its
 * ControlStepFactory instead of createSyntheticStep. Options (JSON): psus, bbus (default 6 each:
 * 13 read words + 1 write word per tick), workRepeats (synthetic step size, default 4).
 */
export const createTask: TaskFactory = (options, ctx) =>
  createFastLaneTask(options, ctx, createSyntheticStep);
