/**
 * The only source of Redfish messages: the DMTF registries (Base, Power, ResourceEvent,
 * Telemetry) read from `../shared/redfish/registries` at start-up into a typed table. Every
 * MessageId the service may emit is listed below with its argument count and checked against
 * the registry file when it loads, so a MessageId is never invented and never drifts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, Orv3Error } from '../../errors.js';

/** MessageIds we emit, by registry, with their NumberOfArgs. */
export const USED_MESSAGES = {
  Base: {
    Success: 0,
    Created: 0,
    GeneralError: 0,
    MalformedJSON: 0,
    EmptyJSON: 0,
    PropertyUnknown: 1,
    PropertyNotWritable: 1,
    PropertyMissing: 1,
    PropertyValueTypeError: 2,
    PropertyValueFormatError: 2,
    PropertyValueNotInList: 2,
    PropertyValueOutOfRange: 2,
    PropertyValueConflict: 2,
    ActionNotSupported: 1,
    ActionParameterMissing: 2,
    ActionParameterUnknown: 2,
    ActionParameterValueTypeError: 3,
    ActionParameterValueNotInList: 3,
    ActionParameterValueError: 2,
    ActionParameterNotSupported: 2,
    QueryParameterValueError: 1,
    QueryParameterValueTypeError: 2,
    QueryParameterValueFormatError: 2,
    QueryParameterOutOfRange: 3,
    QueryParameterUnsupported: 1,
    QueryNotSupportedOnResource: 0,
    QueryNotSupportedOnOperation: 0,
    QueryCombinationInvalid: 0,
    SessionLimitExceeded: 0,
    EventSubscriptionLimitExceeded: 0,
    ResourceCannotBeDeleted: 0,
    ResourceInUse: 0,
    ResourceAlreadyExists: 3,
    ResourceNotFound: 2,
    ResourceExhaustion: 1,
    PayloadTooLarge: 0,
    InvalidURI: 1,
    CreateFailedMissingReqProperties: 1,
    CreateLimitReachedForResource: 0,
    NoValidSession: 0,
    AccessUnauthorized: 0,
    InsufficientPrivilege: 0,
    AccountModified: 0,
    AccountRemoved: 0,
    InternalError: 0,
    UnrecognizedRequestBody: 0,
    ServiceTemporarilyUnavailable: 1,
    SessionTerminated: 0,
    SubscriptionTerminated: 0,
    PasswordChangeRequired: 1,
    PasswordIncorrectLength: 0,
    PreconditionFailed: 0,
    HeaderInvalid: 1,
    OperationNotAllowed: 0,
    OperationFailed: 0,
    RestrictedRole: 1,
    StringValueTooLong: 2,
    ServiceShuttingDown: 0,
    PropertyValueModified: 2,
  },
  Power: {
    PowerSupplyFailed: 1,
    PowerSupplyRestored: 1,
    PowerSupplyWarning: 1,
    LossOfInputPower: 1,
    LineInputPowerRestored: 1,
    VoltageBelowLowerCautionThreshold: 3,
    VoltageBelowLowerCriticalThreshold: 3,
    VoltageAboveUpperCautionThreshold: 3,
    VoltageAboveUpperCriticalThreshold: 3,
    VoltageNormal: 2,
    PowerAboveUpperCautionThreshold: 3,
    PowerAboveUpperCriticalThreshold: 3,
    PowerNormal: 2,
  },
  ResourceEvent: {
    ResourceChanged: 0,
    ResourceCreated: 0,
    ResourceRemoved: 0,
    ResourceSelfTestCompleted: 0,
    ResourceSelfTestFailed: 1,
    ResourceStatusChangedOK: 2,
    ResourceStatusChangedWarning: 2,
    ResourceWarningThresholdExceeded: 2,
    ResourceWarningThresholdCleared: 2,
    PropertyValueModifiedByClient: 2,
    TestMessage: 0,
  },
  Telemetry: {
    TelemetryDataCreated: 2,
  },
} as const;

export type RegistryPrefix = keyof typeof USED_MESSAGES;
export type MessageKey<P extends RegistryPrefix> = keyof (typeof USED_MESSAGES)[P] & string;
/** `Base.MalformedJSON`-style key of a message we use. */
export type AnyMessageKey = {
  [P in RegistryPrefix]: `${P}.${MessageKey<P>}`;
}[RegistryPrefix];

/** A message as it appears in `@Message.ExtendedInfo`, an event record or a LogEntry. */
export interface RedfishMessage {
  readonly '@odata.type': '#Message.v1_1_4.Message';
  readonly MessageId: string;
  readonly Message: string;
  readonly MessageArgs: readonly string[];
  readonly Severity: string;
  readonly MessageSeverity: string;
  readonly Resolution: string;
}

interface RegistryEntry {
  readonly Message: string;
  readonly NumberOfArgs?: number;
  readonly Severity?: string;
  readonly MessageSeverity?: string;
  readonly Resolution?: string;
}

interface LoadedRegistry {
  /** e.g. `Base.1.22.1` */
  readonly id: string;
  readonly version: string;
  readonly file: string;
  readonly messages: ReadonlyMap<string, RegistryEntry>;
}

const bad = (msg: string, ctx: Record<string, unknown> = {}): never => {
  throw new Orv3Error(ErrorCode.RedfishRegistry, msg, ctx);
};

const versionKey = (v: string): number[] => v.split('.').map((x) => Number(x));
const newer = (a: string, b: string): boolean => {
  const x = versionKey(a);
  const y = versionKey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  }
  return false;
};

/** The newest `<Prefix>.<x.y.z>.json` of a prefix in dir. */
function findRegistryFile(dir: string, prefix: string): { file: string; version: string } {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    return bad(`message registries: cannot read ${dir}: ${(e as Error).message}`, { dir });
  }
  let best: { file: string; version: string } | undefined;
  const re = new RegExp(`^${prefix}\\.(\\d+\\.\\d+\\.\\d+)\\.json$`);
  for (const n of names) {
    const m = re.exec(n);
    if (m && (!best || newer(m[1]!, best.version))) best = { file: join(dir, n), version: m[1]! };
  }
  return best ?? bad(`message registries: no ${prefix}.x.y.z.json in ${dir}`, { dir, prefix });
}

/** The DMTF registries the service speaks, loaded once; builds messages by key. */
export class MessageRegistries {
  private readonly registries = new Map<RegistryPrefix, LoadedRegistry>();

  private constructor() {}

  /** Reads and checks every registry we use from `dir` (the DMTF JSON files). */
  static load(dir: string): MessageRegistries {
    const out = new MessageRegistries();
    for (const prefix of Object.keys(USED_MESSAGES) as RegistryPrefix[]) {
      const { file, version } = findRegistryFile(dir, prefix);
      let json: { Id?: string; Messages?: Record<string, RegistryEntry> };
      try {
        json = JSON.parse(readFileSync(file, 'utf8')) as typeof json;
      } catch (e) {
        return bad(`message registry ${file}: ${(e as Error).message}`, { file });
      }
      const messages = new Map(Object.entries(json.Messages ?? {}));
      for (const [id, n] of Object.entries(USED_MESSAGES[prefix])) {
        const m = messages.get(id);
        if (!m) bad(`message registry ${file} has no ${prefix}.${id}`, { file, id });
        else if ((m.NumberOfArgs ?? 0) !== n)
          bad(`${prefix}.${id}: ${file} says ${m.NumberOfArgs ?? 0} args, we pass ${n}`, { file });
      }
      out.registries.set(prefix, {
        id: json.Id ?? `${prefix}.${version}`,
        version,
        file,
        messages,
      });
    }
    return out;
  }

  /** `Base.1.22.1` etc., for the EventService and MessageRegistry references. */
  registryId(prefix: RegistryPrefix): string {
    return this.registries.get(prefix)!.id;
  }

  /** Builds a message from the registry text, substituting %1…%n with the arguments. */
  message(key: AnyMessageKey, ...args: readonly (string | number)[]): RedfishMessage {
    const dot = key.indexOf('.');
    const prefix = key.slice(0, dot) as RegistryPrefix;
    const id = key.slice(dot + 1);
    const reg = this.registries.get(prefix)!;
    const entry = reg.messages.get(id)!;
    const strArgs = args.map((a) => String(a));
    const text = entry.Message.replace(/%(\d+)/g, (_, n: string) => strArgs[Number(n) - 1] ?? '');
    const severity = entry.MessageSeverity ?? entry.Severity ?? 'OK';
    return {
      '@odata.type': '#Message.v1_1_4.Message',
      MessageId: `${reg.id}.${id}`,
      Message: text,
      MessageArgs: strArgs,
      Severity: entry.Severity ?? severity,
      MessageSeverity: severity,
      Resolution: entry.Resolution ?? 'None.',
    };
  }
}
