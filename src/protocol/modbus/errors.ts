import { ErrorCode, Orv3Error } from '../../errors.js';

/** What exactly is wrong with bytes that were meant to be a Modbus frame. */
export type FrameProblem =
  | 'too-short'
  | 'too-long'
  | 'crc'
  | 'inter-char-gap'
  | 'truncated'
  | 'unsupported-function'
  | 'bad-length'
  | 'bad-quantity'
  | 'bad-byte-count'
  | 'bad-exception-code'
  | 'bad-protocol-id'
  | 'bad-mbap-length'
  | 'mismatch';

/**
 * A malformed or corrupted frame. `code` is ModbusCrc for a checksum failure and ModbusFrame for
 * everything else. `slaveException` is the exception a slave should answer with when the frame
 * was a request it cannot serve (1 unsupported function, 3 bad quantity or byte count);
 * undefined when a slave should stay silent (e.g. bad CRC: the frame may not even be for it).
 */
export class ModbusFrameError extends Orv3Error {
  readonly problem: FrameProblem;
  readonly slaveException: 1 | 3 | undefined;

  constructor(
    problem: FrameProblem,
    message: string,
    context: Record<string, unknown> = {},
    slaveException?: 1 | 3,
  ) {
    super(problem === 'crc' ? ErrorCode.ModbusCrc : ErrorCode.ModbusFrame, message, {
      problem,
      ...context,
    });
    this.name = 'ModbusFrameError';
    this.problem = problem;
    this.slaveException = slaveException;
  }
}

/** A device answered with an exception response (function | 0x80, exception code). */
export class ModbusExceptionError extends Orv3Error {
  readonly unit: number;
  readonly functionCode: number;
  readonly exceptionCode: number;

  constructor(unit: number, functionCode: number, exceptionCode: number) {
    super(
      ErrorCode.ModbusException,
      `unit ${unit} answered function 0x${hex(functionCode)} with exception ${exceptionName(exceptionCode)}`,
      { unit, functionCode, exceptionCode },
    );
    this.name = 'ModbusExceptionError';
    this.unit = unit;
    this.functionCode = functionCode;
    this.exceptionCode = exceptionCode;
  }
}

/** Arguments that cannot be put on the wire (unit, address, count or value out of range). */
export function badRequest(message: string, context: Record<string, unknown> = {}): Orv3Error {
  return new Orv3Error(ErrorCode.ModbusBadRequest, message, context);
}

const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: '01 illegal function',
  2: '02 illegal data address',
  3: '03 illegal data value',
  4: '04 server device failure',
  0x0b: '0B gateway target device failed to respond',
};

export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? `0x${hex(code)}`;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0').toUpperCase();
}
