/**
 * A measured or generated power trace: CSV of time (s from scenario start) and watts.
 */
import type { LoadContext, LoadModel, TraceLoadSpec } from './load-model.js';
import {
  columnIndex,
  csvError,
  isNumeric,
  parseCsv,
  readDataFile,
  resolveDataPath,
} from './files.js';
import { PiecewiseSeries } from './series.js';

/** Trace points closer than this do not each report a slope break (contract of nextBreakS). */
export const TRACE_MIN_BREAK_GAP_S = 1e-3;

export function createTraceModel(spec: TraceLoadSpec, ctx: LoadContext): LoadModel {
  const fileField = `${ctx.fieldPath}.file`;
  const path = resolveDataPath(spec.file, ctx.baseDir, ctx.sharedDir);
  const table = parseCsv(readDataFile(path, fileField), (cells) => !cells.every(isNumeric));
  const tCol = columnIndex(table, spec.timeColumn ?? 0);
  const wCol = columnIndex(table, spec.wattsColumn ?? 1);
  for (const [key, col] of [
    ['timeColumn', tCol],
    ['wattsColumn', wCol],
  ] as const) {
    if (col < 0) {
      throw csvError(
        `${ctx.fieldPath}.${key}`,
        path,
        1,
        `no column ${JSON.stringify(spec[key])} in header ${JSON.stringify(table.header)}`,
      );
    }
  }
  if (table.rows.length === 0) throw csvError(fileField, path, 1, 'no data rows');
  const scale = spec.scale ?? 1;
  const n = table.rows.length;
  const times = new Float64Array(n);
  const watts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = table.rows[i]!;
    const line = table.lines[i]!;
    const t = Number(row[tCol] ?? '');
    const w = Number(row[wCol] ?? '') * scale;
    if (!isNumeric(row[tCol] ?? ''))
      throw csvError(fileField, path, line, `time ${JSON.stringify(row[tCol])} is not a number`);
    if (!isNumeric(row[wCol] ?? '') || w < 0)
      throw csvError(
        fileField,
        path,
        line,
        `watts ${JSON.stringify(row[wCol])} is not a number >= 0`,
      );
    if (i > 0 && t < times[i - 1]!)
      throw csvError(fileField, path, line, `time ${t} goes backwards`);
    times[i] = t;
    watts[i] = w;
  }
  const mode = spec.interpolate ?? 'linear';
  return new PiecewiseSeries(times, watts, {
    mode,
    durationS: ctx.durationS,
    minBreakGapS: TRACE_MIN_BREAK_GAP_S,
    description: `trace ${spec.file} (${n} points, ${mode}${scale === 1 ? '' : `, × ${scale}`})`,
  });
}
