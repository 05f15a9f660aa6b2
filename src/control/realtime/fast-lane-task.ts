import { ErrorCode, Orv3Error } from '../../errors.js';
import type { RealtimeCommand } from './commands.js';
import {
  newFastSample,
  readFastSample,
  writeDischargeCommand,
  type FastSample,
} from './synthetic-io.js';
import type { JsonValue, RealtimeTask, TaskContext } from './task.js';

/**
 * The shape of a fast-lane tick, with the control step plugged in: read the fast sample, run the
 * step, write the command, record sample→command latency, publish one telemetry record. The I/O
 * here is the synthetic stand-in (synthetic-io.ts); the step is whatever ControlStepFactory the
 * task module binds (synthetic-task.ts binds the synthetic workload).
 *
 * Telemetry record (8 values): tick, sampleAtMs, commandAtMs, busV, loadW, commandW, powerCapW,
 * hintDeltaW.
 */
export interface ControlInputs {
  /** Latest power cap from the main thread, W (Infinity until one arrives). */
  powerCapW: number;
  /** Latest workload hint: expected load change, W, and when, ms after it arrived. */
  hintDeltaW: number;
  hintAtMs: number;
}

/** One control decision: the BBU discharge setpoint, W. Must not allocate per call. */
export type ControlStep = (sample: FastSample, inputs: ControlInputs, nowMs: number) => number;

/** Builds the step once, in the worker, from the task's JSON options. */
export type ControlStepFactory = (options: JsonValue) => ControlStep;

export interface FastLaneOptions {
  readonly psus: number;
  readonly bbus: number;
}

function laneOptions(o: JsonValue): FastLaneOptions {
  const rec = o !== null && typeof o === 'object' && !Array.isArray(o) ? o : {};
  const count = (name: string, fallback: number): number => {
    const v = (rec as Record<string, JsonValue>)[name] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 32) {
      throw new Orv3Error(ErrorCode.RealtimeBadTask, `task option ${name} must be 0..32`, { v });
    }
    return v;
  };
  return { psus: count('psus', 6), bbus: count('bbus', 6) };
}

export function createFastLaneTask(
  options: JsonValue,
  ctx: TaskContext,
  stepFactory: ControlStepFactory,
): RealtimeTask {
  const lane = laneOptions(options);
  const step = stepFactory(options);
  const sample = newFastSample(lane.psus, lane.bbus);
  const inputs: ControlInputs = { powerCapW: Infinity, hintDeltaW: 0, hintAtMs: 0 };
  const record = new Float64Array(ctx.telemetryWidth);
  let tick = 0;
  return {
    command(cmd: RealtimeCommand, nowMs: number): void {
      if (cmd.kind === 'setPowerCap') inputs.powerCapW = cmd.watts;
      else {
        inputs.hintDeltaW = cmd.deltaW;
        inputs.hintAtMs = nowMs + cmd.leadMs;
      }
    },
    tick(nowMs: number): void {
      readFastSample(sample, ctx.clock.nowMs());
      const commandW = step(sample, inputs, nowMs);
      if (!writeDischargeCommand(commandW)) {
        // Our own frame failing our own PEC check is a framing bug, not a bus fault.
        throw new Orv3Error(ErrorCode.PmbusPec, 'synthetic discharge command failed its PEC check');
      }
      const commandAtMs = ctx.clock.nowMs();
      ctx.recordLatency(sample.atMs, commandAtMs);
      record[0] = ++tick;
      record[1] = sample.atMs;
      record[2] = commandAtMs;
      record[3] = sample.busV;
      record[4] = sample.loadW;
      record[5] = commandW;
      record[6] = inputs.powerCapW;
      record[7] = inputs.hintDeltaW;
      ctx.publish(record);
    },
  };
}
