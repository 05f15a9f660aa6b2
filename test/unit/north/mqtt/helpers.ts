/** Test doubles for the edge node: a scripted TelemetrySource, a recording CommandSink, a memory store. */
import type {
  CommandResult,
  CommandSink,
  DeviceSnapshot,
  MetricSample,
  TelemetrySource,
  WorkloadHint,
} from '../../../../src/north/mqtt/source.js';
import type {
  ForwardAppendResult,
  ForwardRecord,
  ForwardStore,
} from '../../../../src/north/mqtt/store-port.js';
import { decodePayload, type SpPayload } from '../../../../src/north/mqtt/sparkplug/index.js';
import type { Clock } from '../../../../src/clock/index.js';

/** A shelf with PSUs and BBUs whose values the test sets; timestamps from the clock at read. */
export class ScriptedSource implements TelemetrySource {
  readonly values = new Map<string, number | null>();
  readonly online = new Map<string, boolean>();
  readonly extraNode: MetricSample[] = [];
  reads = 0;

  constructor(
    private readonly clock: Clock,
    readonly deviceIds: readonly { id: string; kind: DeviceSnapshot['kind'] }[] = [
      { id: 'psu-1', kind: 'psu' },
      { id: 'bbu-1', kind: 'bbu' },
      { id: 'shelf-0', kind: 'shelf' },
    ],
  ) {
    for (const d of deviceIds) this.online.set(d.id, true);
  }

  set(deviceId: string, value: number | null): void {
    this.values.set(deviceId, value);
  }

  nodeMetrics(): readonly MetricSample[] {
    const t = this.clock.epochMs();
    return [
      { name: 'Uptime', type: 'Int64', value: 7n, timestampMs: 1_000 },
      ...this.extraNode.map((m) => ({ ...m, timestampMs: t })),
    ];
  }

  devices(): readonly DeviceSnapshot[] {
    this.reads++;
    const t = this.clock.epochMs();
    return this.deviceIds.map(({ id, kind }) => ({
      id,
      kind,
      online: this.online.get(id) ?? false,
      metrics: [
        {
          name: 'Output/Power',
          type: 'Double' as const,
          value: this.values.get(id) ?? 0,
          timestampMs: t,
          unit: 'W',
        },
      ],
    }));
  }
}

export class RecordingSink implements CommandSink {
  readonly calls: string[] = [];
  readonly hints: WorkloadHint[] = [];
  answer: CommandResult = { ok: true };

  async setPowerCapW(watts: number | null): Promise<CommandResult> {
    this.calls.push(`cap ${watts}`);
    return this.answer;
  }
  async locate(deviceId: string, on: boolean): Promise<CommandResult> {
    this.calls.push(`locate ${deviceId} ${on}`);
    return this.answer;
  }
  async bbuSelfTest(deviceId: string): Promise<CommandResult> {
    this.calls.push(`selftest ${deviceId}`);
    return this.answer;
  }
  async hint(h: WorkloadHint): Promise<CommandResult> {
    this.hints.push(h);
    return this.answer;
  }
}

/** ForwardStore in memory, with DurableQueue's contract (seq from 1, ack up to seq). */
export class MemoryStore implements ForwardStore {
  readonly records: ForwardRecord[] = [];
  private seq = 1;
  acked = 0;
  dropped = 0;
  cap = Infinity;

  append(topic: string, timestampMs: number, payload: Uint8Array): ForwardAppendResult {
    if (this.records.length >= this.cap) {
      this.dropped++;
      return { ok: false, reason: 'cap' };
    }
    const seq = this.seq++;
    this.records.push({ seq, topic, timestampMs, payload: payload.slice() });
    return { ok: true, seq, evicted: 0 };
  }
  peek(n: number): readonly ForwardRecord[] {
    return this.records.slice(0, n);
  }
  ack(uptoSeq: number): number {
    let n = 0;
    while (this.records.length > 0 && this.records[0]!.seq <= uptoSeq) {
      this.records.shift();
      n++;
    }
    this.acked += n;
    return n;
  }
  stats(): { records: number; dropped: { records: number } } {
    return { records: this.records.length, dropped: { records: this.dropped } };
  }
}

export function decode(p: Uint8Array): SpPayload {
  return decodePayload(p);
}

/** The Sparkplug message type of a topic (`spBv1.0/g/NDATA/n` → NDATA). */
export function typeOf(topic: string): string {
  return topic.split('/')[2] ?? '';
}
