/**
 * CRC-16/MODBUS (Modbus over Serial Line v1.02 §6.2.2): reflected polynomial 0xA001 (0x8005
 * bit-reversed), initial value 0xFFFF, no final XOR. Sent low byte first, the one field of an RTU
 * frame that is little-endian.
 */

// Table-driven: one lookup per byte instead of eight shift/xor steps, because every byte of
// every frame on both sides of the wire (client, simulated slave, fuzzing) goes through here.
const TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC of bytes[start, end). Returns the 16-bit value; the wire order is low byte, high byte. */
export function crc16Modbus(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  }
  return crc;
}

/** A copy of `body` with its CRC appended (low byte first). */
export function appendCrc(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 2);
  out.set(body, 0);
  const crc = crc16Modbus(body);
  out[body.length] = crc & 0xff;
  out[body.length + 1] = crc >>> 8;
  return out;
}

/** True when the last two bytes of `frame` are the CRC of the bytes before them. */
export function hasValidCrc(frame: Uint8Array): boolean {
  if (frame.length < 3) return false;
  const n = frame.length - 2;
  const crc = crc16Modbus(frame, 0, n);
  return frame[n] === (crc & 0xff) && frame[n + 1] === crc >>> 8;
}
