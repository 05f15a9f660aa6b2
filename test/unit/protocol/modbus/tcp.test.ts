import { describe, expect, it } from 'vitest';
import {
  MbapStreamSplitter,
  decodeMbapHeader,
  encodeTcpRequest,
  encodeTcpResponse,
} from '../../../../src/protocol/modbus/index.js';

describe('MBAP', () => {
  it('request ADU: header + PDU', () => {
    expect([...encodeTcpRequest(0x0001, 0x11, { fc: 0x03, start: 0x6b, count: 3 })]).toEqual([
      0x00, // transaction id hi
      0x01, // transaction id lo
      0x00, // protocol id hi
      0x00, // protocol id lo (0 = Modbus)
      0x00, // length hi
      0x06, // length lo: unit id + 5-byte PDU
      0x11, // unit id
      0x03, // function
      0x00, // start hi
      0x6b, // start lo
      0x00, // quantity hi
      0x03, // quantity lo
    ]);
  });

  it('header decode and its errors', () => {
    const adu = encodeTcpResponse(0xbeef, 7, { kind: 'exception', fc: 0x04, exceptionCode: 0x0b });
    expect(decodeMbapHeader(adu)).toEqual({
      ok: true,
      value: { transactionId: 0xbeef, protocolId: 0, length: 3, unit: 7 },
    });
    const wrongProto = adu.slice();
    wrongProto[3] = 1;
    const p = decodeMbapHeader(wrongProto);
    expect(!p.ok && p.error.problem).toBe('bad-protocol-id');
    const wrongLen = adu.slice();
    wrongLen[5] = 1;
    const l = decodeMbapHeader(wrongLen);
    expect(!l.ok && l.error.problem).toBe('bad-mbap-length');
    const s = decodeMbapHeader(adu.slice(0, 6));
    expect(!s.ok && s.error.problem).toBe('too-short');
  });

  it('splitter reassembles frames across any chunking', () => {
    const a = encodeTcpResponse(1, 1, { kind: 'read', fc: 0x03, values: Uint16Array.of(1, 2, 3) });
    const b = encodeTcpResponse(2, 1, { kind: 'writeSingle', fc: 0x06, address: 4, value: 5 });
    const stream = new Uint8Array([...a, ...b]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const s = new MbapStreamSplitter();
      const ev = [...s.push(stream.slice(0, cut)), ...s.push(stream.slice(cut))];
      expect(ev.map((e) => e.type === 'frame' && e.frame.transactionId)).toEqual([1, 2]);
      expect(s.buffered).toBe(0);
    }
  });

  it('splitter reports a desynchronised stream and drops its buffer', () => {
    const s = new MbapStreamSplitter();
    const ev = s.push(Uint8Array.of(0, 1, 0xff, 0xff, 0, 6, 1, 3, 0, 0, 0, 1));
    expect(ev.map((e) => e.type === 'error' && e.error.problem)).toEqual(['bad-protocol-id']);
    expect(s.buffered).toBe(0);
  });
});
