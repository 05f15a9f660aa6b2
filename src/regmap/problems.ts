import { ErrorCode, Orv3Error } from '../errors.js';

/** One thing wrong with a map file; every line of a RegisterMapInvalid error is one of these. */
export interface MapProblem {
  readonly file: string;
  /** The register or command at fault, when the problem is inside one. */
  readonly item?: string;
  readonly field?: string;
  readonly message: string;
}

interface RawItem {
  readonly name?: unknown;
  readonly begin?: unknown;
  readonly code?: unknown;
}

/** `register "X" (begin 79)` or `command "X" (code 0x21)`, tolerant of half-formed input. */
export function describeItem(kind: 'register' | 'command', raw: unknown, index: number): string {
  const item: RawItem = typeof raw === 'object' && raw !== null ? raw : {};
  const name = typeof item.name === 'string' ? `"${item.name}"` : `#${index}`;
  if (kind === 'register') {
    return typeof item.begin === 'number'
      ? `register ${name} (begin ${item.begin})`
      : `register ${name}`;
  }
  const code = codeText(item.code);
  return code === undefined ? `command ${name}` : `command ${name} (code ${code})`;
}

function codeText(code: unknown): string | undefined {
  if (typeof code === 'string') return code;
  if (typeof code === 'number') return `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  return undefined;
}

export function formatProblem(p: MapProblem): string {
  const parts = [p.file];
  if (p.item !== undefined) parts.push(p.item);
  if (p.field !== undefined) parts.push(`field "${p.field}"`);
  return `${parts.join(': ')}: ${p.message}`;
}

/** Collects problems for one file so that all of them are reported together. */
export class ProblemList {
  readonly #items: MapProblem[] = [];

  constructor(readonly file: string) {}

  get size(): number {
    return this.#items.length;
  }

  top(field: string | undefined, message: string): void {
    this.#push({ file: this.file, field, message });
  }

  item(item: string, field: string | undefined, message: string): void {
    this.#push({ file: this.file, item, field, message });
  }

  register(raw: unknown, index: number, field: string | undefined, message: string): void {
    this.item(describeItem('register', raw, index), field, message);
  }

  command(raw: unknown, index: number, field: string | undefined, message: string): void {
    this.item(describeItem('command', raw, index), field, message);
  }

  #push(p: MapProblem): void {
    const line = formatProblem(p);
    if (!this.#items.some((q) => formatProblem(q) === line)) this.#items.push(p);
  }

  throwIfAny(): void {
    if (this.#items.length > 0) throw mapInvalid(this.file, this.#items);
  }
}

export function mapInvalid(file: string, problems: readonly MapProblem[]): Orv3Error {
  return new Orv3Error(ErrorCode.RegisterMapInvalid, problems.map(formatProblem).join('\n'), {
    file,
    problems,
  });
}
