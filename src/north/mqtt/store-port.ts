/**
 * The part of the durable store-and-forward queue (./store/, DurableQueue) the edge node uses.
 * Structural, so unit tests pass an in-memory fake and the composition root passes the real
 * queue unchanged.
 *
 * Contract the session relies on (DurableQueue's): synchronous; peek() returns the oldest
 * records in append order without consuming them; ack(seq) consumes every record up to and
 * including seq; every refusal or eviction is counted in stats().dropped.
 */
export interface ForwardRecord {
  readonly seq: number;
  readonly topic: string;
  /** Sample time (Unix ms) given at append. */
  readonly timestampMs: number;
  readonly payload: Uint8Array;
}

export type ForwardAppendResult =
  | { readonly ok: true; readonly seq: number; readonly evicted: number }
  | { readonly ok: false; readonly reason: string };

export interface ForwardStore {
  append(topic: string, timestampMs: number, payload: Uint8Array): ForwardAppendResult;
  peek(n: number): readonly ForwardRecord[];
  ack(uptoSeq: number): number;
  stats(): { readonly records: number; readonly dropped: { readonly records: number } };
}
