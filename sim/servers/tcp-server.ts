/**
 * The simulated devices behind a Modbus TCP server (Modbus Messaging on TCP/IP v1.0b), as an
 * RTU-to-TCP gateway in front of a shelf would present them: the MBAP unit id is the device's
 * Modbus address.
 *
 * Choice (ours): a unit id with no device behind it — 0, 248–255 and unassigned addresses
 * included — and a device that is not responding (PSU controller cold) both get exception 0x0B
 * "gateway target device failed to respond". That is what a real gateway answers when its
 * serial request times out, so a client learns the same thing it would on the rack, but at once
 * instead of after its own timeout. Broadcast does not exist on TCP, so unit 0 is not special.
 *
 * Requests are served one at a time in arrival order and answered at once: the TCP side has no
 * line timing (wrap the slave set if a test wants one). A bad MBAP header desynchronises the
 * stream for good, so the connection is closed (counted).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  ExceptionCode,
  MbapStreamSplitter,
  encodeTcpResponse,
  type ModbusResponse,
  type TcpFrame,
} from '../../src/protocol/modbus/index.js';
import {
  SlaveCounterBook,
  decodeRequest,
  exception,
  execute,
  type ModbusSlaveSet,
  type SlaveCounters,
} from './slave-core.js';

export interface TcpServerCounters {
  connections: number;
  /** Connections open now. */
  open: number;
  frames: number;
  /** Connections closed for an MBAP header we cannot frame by. */
  badHeaders: number;
  /** Requests for unit ids with no device behind them (answered 0x0B). */
  unknownUnits: number;
  responses: number;
  exceptions: number;
}

export class ModbusTcpServer {
  readonly counters: TcpServerCounters = {
    connections: 0,
    open: 0,
    frames: 0,
    badHeaders: 0,
    unknownUnits: 0,
    responses: 0,
    exceptions: 0,
  };
  private readonly book = new SlaveCounterBook();
  private readonly slaves: ModbusSlaveSet;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(slaves: ModbusSlaveSet) {
    this.slaves = slaves;
    this.server = createServer((s) => this.accept(s));
  }

  /** Listens (loopback by default; port 0 = any free port) and returns the bound address. */
  listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Per-unit counters (created on first use). */
  device(unit: number): SlaveCounters {
    return this.book.device(unit);
  }

  units(): number[] {
    return this.book.units();
  }

  /** Stops listening and drops every connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
  }

  private accept(socket: Socket): void {
    this.counters.connections++;
    this.counters.open++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const splitter = new MbapStreamSplitter();
    socket.on('data', (chunk: Buffer) => {
      for (const ev of splitter.push(new Uint8Array(chunk))) {
        if (ev.type === 'error') {
          this.counters.badHeaders++;
          socket.destroy();
          return;
        }
        const resp = this.serve(ev.frame);
        if (resp !== undefined) {
          socket.write(encodeTcpResponse(ev.frame.transactionId, ev.frame.unit, resp));
        }
      }
    });
    // A client resetting the connection is its business; the close below does the bookkeeping.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.counters.open--;
      this.sockets.delete(socket);
    });
  }

  private serve(frame: TcpFrame): ModbusResponse | undefined {
    this.counters.frames++;
    const fc = frame.pdu[0]! & 0x7f;
    // Function code 0 cannot carry an exception (0x80 alone names no function): nothing to say.
    if (fc === 0) return undefined;
    const slave = this.slaves.modbus(frame.unit);
    let resp: ModbusResponse | undefined;
    if (slave === undefined) {
      this.counters.unknownUnits++;
      resp = exception(fc, ExceptionCode.GatewayTargetFailedToRespond);
    } else {
      const c = this.book.device(frame.unit);
      c.requests++;
      if (!slave.responding) {
        c.noResponse++;
        resp = exception(fc, ExceptionCode.GatewayTargetFailedToRespond);
      } else {
        const decoded = decodeRequest(frame.pdu);
        resp = decoded.ok ? execute(slave, decoded.request) : decoded.exception;
      }
      if (resp !== undefined) this.book.countResponse(frame.unit, resp);
    }
    if (resp === undefined) return undefined;
    this.counters.responses++;
    if (resp.kind === 'exception') this.counters.exceptions++;
    return resp;
  }
}
