import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCode, Orv3Error } from '../../src/errors.js';
import { locateJsonError } from './json-position.js';
import { parseScenario } from './parse.js';
import type { Scenario } from './types.js';

/** Reads and parses one scenario file; relative data paths resolve against its folder. */
export function loadScenarioFile(path: string, opts: { sharedDir?: string } = {}): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const reason = e instanceof Error && 'code' in e ? String(e.code) : String(e);
    throw new Orv3Error(
      ErrorCode.FileUnreadable,
      `${path}: cannot read scenario file (${reason})`,
      { file: path },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const at = locateJsonError(text);
    throw new Orv3Error(
      ErrorCode.ScenarioInvalid,
      `${path}:${at.line}:${at.column}: malformed JSON: ${at.message}`,
      { file: path, line: at.line, column: at.column },
    );
  }
  return parseScenario(raw, { file: path, baseDir: dirname(path), ...opts });
}
