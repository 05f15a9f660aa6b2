/**
 * Modbus wire formats, pure (no I/O, no timers): CRC-16, PDUs of 0x03/0x04/0x06/0x10 and
 * exceptions, RTU ADUs and a streaming RTU decoder, MBAP (TCP) framing, the RTU timing model.
 * Used by our clients (src/bus/modbus) and by the simulated slaves (sim/), so both ends of a
 * simulated wire produce and check the same bytes.
 */
export { crc16Modbus, appendCrc, hasValidCrc } from './crc16.js';
export {
  ModbusFrameError,
  ModbusExceptionError,
  badRequest,
  exceptionName,
  type FrameProblem,
} from './errors.js';
export {
  FunctionCode,
  ExceptionCode,
  PduLimits,
  isReadRequest,
  encodeRequestPdu,
  decodeRequestPdu,
  encodeResponsePdu,
  decodeResponsePdu,
  responseMismatch,
  type ReadRequest,
  type WriteSingleRequest,
  type WriteMultipleRequest,
  type ModbusRequest,
  type ReadResponse,
  type WriteSingleResponse,
  type WriteMultipleResponse,
  type ExceptionResponse,
  type ModbusResponse,
} from './pdu.js';
export {
  BROADCAST_UNIT,
  MAX_UNIT,
  encodeRtuAdu,
  encodeRtuRequest,
  encodeRtuResponse,
  decodeRtuFrame,
  decodeRtuRequest,
  decodeRtuResponse,
  type DecodeResult,
  type RtuFrame,
} from './rtu.js';
export {
  RtuFrameDecoder,
  type RtuRole,
  type RtuStreamEvent,
  type RtuDecoderOptions,
} from './rtu-stream.js';
export {
  MBAP_HEADER_BYTES,
  encodeTcpAdu,
  encodeTcpRequest,
  encodeTcpResponse,
  decodeMbapHeader,
  MbapStreamSplitter,
  type MbapHeader,
  type TcpFrame,
  type TcpStreamEvent,
} from './tcp.js';
export {
  RTU_BITS_PER_CHAR,
  FIXED_TIMING_ABOVE_BAUD,
  FIXED_T15_US,
  FIXED_T35_US,
  DEFAULT_TURNAROUND_US,
  RTU_MAX_ADU_BYTES,
  EXCEPTION_ADU_BYTES,
  rtuTiming,
  wireTimeUs,
  requestAduBytes,
  responseAduBytes,
  effectiveTurnaroundUs,
  transactionTimeUs,
  requestTransactionUs,
  lineBudget,
  lineRateMinimumUs,
  type RtuTiming,
  type LineBudget,
} from './timing.js';
