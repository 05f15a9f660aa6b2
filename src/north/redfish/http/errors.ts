/**
 * Errors a handler throws: an HTTP status plus registry messages by key. The server renders
 * them through MessageRegistries, so handlers never build error text themselves.
 */
import type { AnyMessageKey, MessageRegistries, RedfishMessage } from '../messages.js';

export interface MessageRef {
  readonly key: AnyMessageKey;
  readonly args: readonly (string | number)[];
}

export class RedfishError extends Error {
  constructor(
    readonly status: number,
    readonly messages: readonly MessageRef[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${status} ${messages.map((m) => m.key).join(', ')}`);
    this.name = 'RedfishError';
  }
}

export const msg = (key: AnyMessageKey, ...args: (string | number)[]): MessageRef => ({
  key,
  args,
});

/** One status, one message: the common case. */
export function httpError(
  status: number,
  key: AnyMessageKey,
  ...args: (string | number)[]
): RedfishError {
  return new RedfishError(status, [{ key, args }]);
}

export function isRedfishError(e: unknown): e is RedfishError {
  return e instanceof RedfishError;
}

/** The Redfish error payload (redfish-error.v1_0_2) for a list of messages. */
export function errorPayload(
  registries: MessageRegistries,
  refs: readonly MessageRef[],
): { error: { code: string; message: string; '@Message.ExtendedInfo': RedfishMessage[] } } {
  const info = refs.map((r) => registries.message(r.key, ...r.args));
  const first = info[0] ?? registries.message('Base.GeneralError');
  return {
    error: {
      code: first.MessageId,
      message: first.Message,
      '@Message.ExtendedInfo': info,
    },
  };
}

// Shorthands for the errors every resource needs.
export const notFound = (type: string, id: string): RedfishError =>
  httpError(404, 'Base.ResourceNotFound', type, id);
export const propertyUnknown = (name: string): RedfishError =>
  httpError(400, 'Base.PropertyUnknown', name);
export const notWritable = (name: string): RedfishError =>
  httpError(400, 'Base.PropertyNotWritable', name);
export const typeError = (value: unknown, name: string): RedfishError =>
  httpError(400, 'Base.PropertyValueTypeError', JSON.stringify(value) ?? String(value), name);
export const outOfRange = (value: unknown, name: string): RedfishError =>
  httpError(400, 'Base.PropertyValueOutOfRange', JSON.stringify(value) ?? String(value), name);
export const notInList = (value: unknown, name: string): RedfishError =>
  httpError(400, 'Base.PropertyValueNotInList', JSON.stringify(value) ?? String(value), name);
