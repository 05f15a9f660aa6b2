/**
 * Where JSON.parse failed. Node 20's V8 reports "Unexpected token '}', ... is not valid JSON"
 * without a position, and a scenario author needs the line and column, so this re-scans the
 * text with a minimal recogniser. Only called after JSON.parse has thrown.
 */
export interface JsonErrorPosition {
  line: number;
  column: number;
  message: string;
}

class Stop {
  constructor(
    readonly at: number,
    readonly message: string,
  ) {}
}

export function locateJsonError(text: string): JsonErrorPosition {
  let i = 0;
  const fail = (message: string): never => {
    throw new Stop(i, message);
  };
  const what = (): string => (i >= text.length ? 'end of input' : `'${text[i]}'`);
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const expect = (c: string): void => {
    if (text[i] !== c) fail(`expected '${c}', found ${what()}`);
    i++;
  };
  const str = (): void => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      const c = text[i]!;
      if (c < ' ') fail('control character in string');
      if (c === '\\') {
        i++;
        const e = text[i] ?? '';
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(e) || e === '') fail('bad escape');
      }
      i++;
    }
    expect('"');
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        str();
        ws();
        expect(':');
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect('}');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect(']');
      }
    }
    if (c === '"') return str();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|^true|^false|^null/.exec(
      text.slice(i, i + 400),
    );
    if (m === null || m[0] === '') fail(`unexpected ${what()}`);
    i += m![0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${what()} after the end of the document`);
    return { line: 0, column: 0, message: 'no syntax error found' };
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.at).split('\n');
    return {
      line: before.length,
      column: before[before.length - 1]!.length + 1,
      message: e.message,
    };
  }
}
