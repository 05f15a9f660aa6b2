/**
 * Sparkplug topic namespace (spec chapter 4): build and parse
 * `spBv1.0/<group_id>/<message_type>/<edge_node_id>[/<device_id>]` and `spBv1.0/STATE/<host_id>`.
 *
 * Identifier rules: group_id, edge_node_id and device_id "MUST be a valid UTF-8 string with the
 * exception of the reserved characters + / #" (tck-id-topic-structure-namespace-valid-*). We
 * apply the same rule to the host id (it is a topic level too), and additionally refuse the empty
 * string, U+0000 and lone UTF-16 surrogates: MQTT forbids U+0000 and ill-formed UTF-8 in topic
 * names, so a broker would drop the connection rather than the message.
 */
import { ErrorCode, Orv3Error } from '../../../errors.js';

export const SPARKPLUG_NAMESPACE = 'spBv1.0';

export const NODE_MESSAGE_TYPES = ['NBIRTH', 'NDEATH', 'NDATA', 'NCMD'] as const;
export const DEVICE_MESSAGE_TYPES = ['DBIRTH', 'DDEATH', 'DDATA', 'DCMD'] as const;
export type NodeMessageType = (typeof NODE_MESSAGE_TYPES)[number];
export type DeviceMessageType = (typeof DEVICE_MESSAGE_TYPES)[number];
/** The message types that carry a Sparkplug B protobuf payload (STATE carries JSON). */
export type EdgeMessageType = NodeMessageType | DeviceMessageType;

export type SparkplugTopic =
  | {
      readonly kind: 'node';
      readonly groupId: string;
      readonly messageType: NodeMessageType;
      readonly edgeNodeId: string;
    }
  | {
      readonly kind: 'device';
      readonly groupId: string;
      readonly messageType: DeviceMessageType;
      readonly edgeNodeId: string;
      readonly deviceId: string;
    }
  | { readonly kind: 'state'; readonly hostId: string };

/** Which topic element an identifier is, named as in the spec. */
export type IdPart = 'group_id' | 'edge_node_id' | 'device_id' | 'sparkplug_host_id';

// MQTT 3.1.1 §1.5.3 / MQTT 5 §1.5.4: no U+0000, no surrogate code points in UTF-8 strings.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badTopic(message: string, context: Record<string, unknown>): Orv3Error {
  return new Orv3Error(ErrorCode.SparkplugBadTopic, message, context);
}

/** Throws E603 naming the part and the offending character when `id` cannot be a topic level. */
export function validateId(part: IdPart, id: string): void {
  if (typeof id !== 'string' || id.length === 0) {
    throw badTopic(`${part} must be a non-empty string`, { part, id });
  }
  const reserved = /[+/#]/.exec(id);
  if (reserved) {
    throw badTopic(`${part} '${id}' contains the reserved character '${reserved[0]}'`, {
      part,
      id,
    });
  }
  if (id.includes('\u0000') || LONE_SURROGATE.test(id)) {
    throw badTopic(`${part} '${id}' is not a valid MQTT UTF-8 string`, { part, id });
  }
}

export function isValidId(id: string): boolean {
  try {
    validateId('group_id', id);
    return true;
  } catch {
    return false;
  }
}

const isNodeType = (s: string): s is NodeMessageType =>
  (NODE_MESSAGE_TYPES as readonly string[]).includes(s);
const isDeviceType = (s: string): s is DeviceMessageType =>
  (DEVICE_MESSAGE_TYPES as readonly string[]).includes(s);

export function nodeTopic(
  groupId: string,
  messageType: NodeMessageType,
  edgeNodeId: string,
): string {
  return formatTopic({ kind: 'node', groupId, messageType, edgeNodeId });
}

export function deviceTopic(
  groupId: string,
  messageType: DeviceMessageType,
  edgeNodeId: string,
  deviceId: string,
): string {
  return formatTopic({ kind: 'device', groupId, messageType, edgeNodeId, deviceId });
}

export function stateTopic(hostId: string): string {
  return formatTopic({ kind: 'state', hostId });
}

export function formatTopic(t: SparkplugTopic): string {
  if (t.kind === 'state') {
    validateId('sparkplug_host_id', t.hostId);
    return `${SPARKPLUG_NAMESPACE}/STATE/${t.hostId}`;
  }
  validateId('group_id', t.groupId);
  validateId('edge_node_id', t.edgeNodeId);
  if (t.kind === 'node') {
    if (!isNodeType(t.messageType)) {
      throw badTopic(`'${String(t.messageType)}' is not an edge node message_type`, { ...t });
    }
    return `${SPARKPLUG_NAMESPACE}/${t.groupId}/${t.messageType}/${t.edgeNodeId}`;
  }
  if (!isDeviceType(t.messageType)) {
    throw badTopic(`'${String(t.messageType)}' is not a device message_type`, { ...t });
  }
  validateId('device_id', t.deviceId);
  return `${SPARKPLUG_NAMESPACE}/${t.groupId}/${t.messageType}/${t.edgeNodeId}/${t.deviceId}`;
}

/** Parses a received topic name; E603 names the level that is wrong. */
export function parseTopic(topic: string): SparkplugTopic {
  const levels = topic.split('/');
  const ctx = { topic };
  if (levels[0] !== SPARKPLUG_NAMESPACE) {
    throw badTopic(`topic '${topic}': namespace '${levels[0]}' is not ${SPARKPLUG_NAMESPACE}`, ctx);
  }
  if (levels[1] === 'STATE') {
    if (levels.length !== 3) {
      throw badTopic(
        `topic '${topic}': STATE topics are ${SPARKPLUG_NAMESPACE}/STATE/<host_id>`,
        ctx,
      );
    }
    const hostId = levels[2]!;
    validateId('sparkplug_host_id', hostId);
    return { kind: 'state', hostId };
  }
  if (levels.length < 4) {
    throw badTopic(
      `topic '${topic}': too few levels for namespace/group_id/message_type/edge_node_id`,
      ctx,
    );
  }
  const [, groupId, messageType, edgeNodeId, deviceId] = levels as [
    string,
    string,
    string,
    string,
    string?,
  ];
  validateId('group_id', groupId);
  validateId('edge_node_id', edgeNodeId);
  if (isNodeType(messageType)) {
    if (levels.length !== 4) {
      throw badTopic(`topic '${topic}': ${messageType} must not carry a device_id`, ctx);
    }
    return { kind: 'node', groupId, messageType, edgeNodeId };
  }
  if (isDeviceType(messageType)) {
    if (levels.length !== 5) {
      throw badTopic(`topic '${topic}': ${messageType} needs exactly one device_id level`, ctx);
    }
    validateId('device_id', deviceId!);
    return { kind: 'device', groupId, messageType, edgeNodeId, deviceId: deviceId! };
  }
  throw badTopic(`topic '${topic}': unknown message_type '${messageType}'`, ctx);
}

/** What an edge node subscribes to for its commands: its NCMD and every device's DCMD. */
export function commandFilters(groupId: string, edgeNodeId: string): readonly string[] {
  return [
    nodeTopic(groupId, 'NCMD', edgeNodeId),
    `${SPARKPLUG_NAMESPACE}/${groupId}/DCMD/${edgeNodeId}/+`,
  ];
}
