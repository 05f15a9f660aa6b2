import { addressByte, transactionPec } from './pec.js';
import { checkByte, checkWord } from './transactions.js';
import type { SmbusRead, SmbusTransfer } from './transactions.js';

/** A transfer whose bytes are rewritten in place: one per transaction shape. */
interface ReusedTransfer {
  address: number;
  readonly write: Uint8Array;
  readonly read?: SmbusRead;
  /** `write` without its PEC byte (a view made once: the bytes the PEC covers). */
  readonly body: Uint8Array;
}

function writeFrame(dataLength: number, pec: boolean): ReusedTransfer {
  const write = new Uint8Array(dataLength + (pec ? 1 : 0));
  return { address: 0, write, body: write.subarray(0, dataLength) };
}

function readFrame(length: number): ReusedTransfer {
  const write = new Uint8Array(1);
  return { address: 0, write, read: { kind: 'bytes', length }, body: write };
}

/**
 * The fixed-length transactions of the control loop's fast lane (send/write/read byte, write and
 * read word), built into preallocated transfers instead of fresh arrays: the same bytes, PEC and
 * range errors as `buildSendByte` & co., without garbage on a 1 kHz path. Each shape has its own
 * transfer and buffer of exactly its length, so one transaction can never leave bytes or a
 * length behind for the next.
 *
 * Ownership: a returned transfer is valid until the next call of the same method; the caller
 * hands it to a blocking `transferSync` and parses the answer before building the next one. An
 * adapter must not keep it (errors copy the address and command out of it as numbers).
 */
export class SmbusFrames {
  private readonly sendByteT: ReusedTransfer;
  private readonly writeByteT: ReusedTransfer;
  private readonly writeWordT: ReusedTransfer;
  private readonly readByteT: ReusedTransfer;
  private readonly readWordT: ReusedTransfer;

  constructor(readonly pec: boolean) {
    const p = pec ? 1 : 0;
    this.sendByteT = writeFrame(1, pec);
    this.writeByteT = writeFrame(2, pec);
    this.writeWordT = writeFrame(3, pec);
    this.readByteT = readFrame(1 + p);
    this.readWordT = readFrame(2 + p);
  }

  sendByte(address: number, command: number): SmbusTransfer {
    checkByte('command', command);
    const t = this.sendByteT;
    t.write[0] = command;
    return this.seal(t, address);
  }

  writeByte(address: number, command: number, value: number): SmbusTransfer {
    checkByte('command', command);
    checkByte('data byte', value);
    const t = this.writeByteT;
    t.write[0] = command;
    t.write[1] = value;
    return this.seal(t, address);
  }

  writeWord(address: number, command: number, value: number): SmbusTransfer {
    checkByte('command', command);
    checkWord(value);
    const t = this.writeWordT;
    t.write[0] = command;
    t.write[1] = value & 0xff;
    t.write[2] = value >> 8;
    return this.seal(t, address);
  }

  readByte(address: number, command: number): SmbusTransfer {
    return this.readOf(this.readByteT, address, command);
  }

  readWord(address: number, command: number): SmbusTransfer {
    return this.readOf(this.readWordT, address, command);
  }

  private readOf(t: ReusedTransfer, address: number, command: number): SmbusTransfer {
    checkByte('command', command);
    addressByte(address, false);
    t.address = address;
    t.write[0] = command;
    return t;
  }

  /** Sets the address and, with PEC, the last byte: the PEC of the bytes before it. */
  private seal(t: ReusedTransfer, address: number): SmbusTransfer {
    addressByte(address, false);
    t.address = address;
    if (this.pec) t.write[t.body.length] = transactionPec(address, t.body);
    return t;
  }
}
