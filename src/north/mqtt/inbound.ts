/**
 * Everything that arrives from the broker side and asks the gateway to act: NCMD/DCMD and
 * workload hints. Decodes (never throws on bad input), interprets (commands.ts, hints.ts),
 * executes through the CommandSink, and records the outcome in the owned metrics — the echo in
 * the next DATA message is the acknowledgement, `Commands/Rejected` the refusal.
 */
import { interpretCommand, type CommandIntent, type CommandRejection } from './commands.js';
import type { ResolvedConfig } from './config.js';
import { hintTopic, parseHint } from './hints.js';
import type { MqttLogger } from './logger.js';
import { DeviceMetric, NODE_SCOPE, NodeMetric, type AliasTable } from './metrics-model.js';
import type { OwnedMetrics } from './owned-metrics.js';
import {
  decodePayload,
  parseTopic,
  type SparkplugTopic,
  type SpPayload,
} from './sparkplug/index.js';
import type { CommandResult, CommandSink, DeviceSnapshot, WorkloadHint } from './source.js';

export type InboundEvent =
  | {
      readonly type: 'command';
      readonly what: string;
      readonly ok: boolean;
      readonly reason?: string;
    }
  | {
      readonly type: 'hint';
      readonly ok: boolean;
      readonly reason?: string;
      readonly hint?: WorkloadHint;
    };

export interface InboundDeps {
  readonly cfg: ResolvedConfig;
  readonly sink: CommandSink;
  readonly owned: OwnedMetrics;
  readonly aliases: AliasTable;
  readonly log: MqttLogger;
  readonly epochMs: () => number;
  /** The device as last read from the TelemetrySource (undefined: unknown id). */
  readonly device: (id: string) => DeviceSnapshot | undefined;
  /** Full rebirth in the current session; false when there is no session to rebirth. */
  readonly rebirth: () => boolean;
  readonly emit: (e: InboundEvent) => void;
}

/** `Last Command/Result` stays short: it is a status line, not a log. */
const MAX_RESULT = 200;

async function guarded(call: () => Promise<CommandResult>): Promise<CommandResult> {
  try {
    return await call();
  } catch (e) {
    return { ok: false, reason: `gateway error: ${(e as Error).message}` };
  }
}

export class Inbound {
  private readonly authorised: ReadonlySet<string>;

  constructor(private readonly d: InboundDeps) {
    this.authorised = new Set(d.cfg.authorisedCommands);
  }

  /** Routes a message on a hint or command topic; anything else is not ours and ignored. */
  message(topic: string, payload: Uint8Array): void {
    const c = this.d.cfg;
    if (c.hintsEnabled && topic === hintTopic(c.groupId, c.edgeNodeId)) {
      void this.hint(payload);
      return;
    }
    let t: SparkplugTopic;
    try {
      t = parseTopic(topic);
    } catch {
      return;
    }
    if (t.kind === 'node' && t.messageType === 'NCMD') void this.command(undefined, payload);
    else if (t.kind === 'device' && t.messageType === 'DCMD')
      void this.command(t.deviceId, payload);
  }

  /** One NCMD (deviceId undefined) or DCMD payload. Commands in it run one after the other. */
  async command(deviceId: string | undefined, bytes: Uint8Array): Promise<void> {
    const verb = deviceId === undefined ? 'NCMD' : `DCMD ${deviceId}`;
    let payload: SpPayload;
    try {
      payload = decodePayload(bytes, {
        typeOf: this.d.aliases.typeResolver(deviceId ?? NODE_SCOPE),
      });
    } catch (e) {
      this.reject({
        what: `${verb} *`,
        reason: `malformed payload: ${(e as Error).message}`,
        malformed: true,
      });
      return;
    }
    const device = deviceId === undefined ? undefined : this.d.device(deviceId);
    const { intents, rejections } = interpretCommand(deviceId, payload, {
      aliases: this.d.aliases,
      authorised: this.authorised,
      powerCapLimitsW: this.d.cfg.powerCapLimitsW,
      ...(device ? { device } : {}),
    });
    for (const r of rejections) this.reject(r);
    for (const i of intents) await this.execute(i);
  }

  async hint(bytes: Uint8Array): Promise<void> {
    const p = parseHint(bytes, this.d.epochMs());
    const r = p.ok ? await guarded(() => this.d.sink.hint(p.hint)) : p;
    if (r.ok && p.ok) {
      this.d.owned.bump('hintsAccepted');
      this.d.log.info('hint accepted', { source: p.hint.source, deltaW: p.hint.deltaW });
      this.d.emit({ type: 'hint', ok: true, hint: p.hint });
    } else if (!r.ok) {
      this.d.owned.bump('hintsRejected');
      this.d.log.warn('hint rejected', { reason: r.reason });
      this.d.emit({ type: 'hint', ok: false, reason: r.reason });
    }
  }

  private async execute(i: CommandIntent): Promise<void> {
    const sink = this.d.sink;
    const owned = this.d.owned;
    let what: string;
    let r: CommandResult;
    switch (i.kind) {
      case 'rebirth':
        what = `NCMD ${NodeMetric.rebirth}`;
        r = this.d.rebirth()
          ? { ok: true }
          : { ok: false, reason: 'no Sparkplug session to rebirth' };
        break;
      case 'powerCap':
        what = `NCMD ${NodeMetric.powerCap}=${i.watts ?? 'null'}`;
        r = await guarded(() => sink.setPowerCapW(i.watts));
        if (r.ok) owned.setPowerCap(i.watts);
        break;
      case 'locate':
        what = `DCMD ${i.deviceId} ${DeviceMetric.locate}=${i.on}`;
        r = await guarded(() => sink.locate(i.deviceId, i.on));
        if (r.ok) owned.setDevice(i.deviceId, DeviceMetric.locate, i.on);
        break;
      case 'selfTest':
        what = `DCMD ${i.deviceId} ${DeviceMetric.selfTest}=true`;
        r = await guarded(() => sink.bbuSelfTest(i.deviceId));
        if (r.ok) owned.setDevice(i.deviceId, DeviceMetric.selfTest, true);
        break;
    }
    if (!r.ok) {
      this.reject({ what, reason: r.reason, malformed: false });
      return;
    }
    owned.bump('accepted');
    owned.setResult(`${what}: ok`.slice(0, MAX_RESULT));
    this.d.log.info('command applied', { what });
    this.d.emit({ type: 'command', what, ok: true });
  }

  private reject(r: CommandRejection): void {
    const owned = this.d.owned;
    owned.bump('rejected');
    if (r.malformed) owned.bump('malformed');
    owned.setResult(`${r.what}: rejected: ${r.reason}`.slice(0, MAX_RESULT));
    this.d.log.warn('command rejected', { what: r.what, reason: r.reason, malformed: r.malformed });
    this.d.emit({ type: 'command', what: r.what, ok: false, reason: r.reason });
  }
}
