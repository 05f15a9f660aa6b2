/**
 * Request trace → rack power. Requests go FIFO to model instances (least outstanding requests,
 * ties broken round-robin, as common LLM routers do). An instance batches up to maxBatch
 * requests continuously: prefills run one after another at prefillTokensPerS, each sequence then
 * decodes at decodeTokensPerS alongside the others. An instance is active while it has any
 * admitted request, holds standby for standbyHoldMs after its last kernel, then idles.
 * Every state change is an event; the result is a piecewise-constant series.
 */
import type { InferenceParams } from './inference-params.js';
import type { RequestTrace } from './request-trace.js';

const IDLE = 0;
const STANDBY = 1;
const ACTIVE = 2;

export interface InferenceRun {
  times: Float64Array;
  watts: Float64Array;
  instances: number;
  /** Requests that arrive before the end of the run (later ones cannot change its demand). */
  requests: number;
  meanQueueS: number;
  maxQueueS: number;
}

class MinHeap {
  private readonly a: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.a = new Float64Array(capacity);
  }
  top(): number {
    return this.size > 0 ? this.a[0]! : Infinity;
  }
  push(v: number): void {
    const a = this.a;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= v) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = v;
  }
  pop(): void {
    const a = this.a;
    const last = a[--this.size]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && a[c + 1]! < a[c]!) c++;
      if (a[c]! >= last) break;
      a[i] = a[c]!;
      i = c;
    }
    if (this.size > 0) a[i] = last;
  }
}

/** Growable (time, from, to) event log of instance state changes. */
class Events {
  t = new Float64Array(1024);
  from = new Uint8Array(1024);
  to = new Uint8Array(1024);
  n = 0;
  push(time: number, from: number, to: number): void {
    if (this.n === this.t.length) {
      const grow = <T extends Float64Array | Uint8Array>(old: T, fresh: T): T => {
        fresh.set(old);
        return fresh;
      };
      this.t = grow(this.t, new Float64Array(this.n * 2));
      this.from = grow(this.from, new Uint8Array(this.n * 2));
      this.to = grow(this.to, new Uint8Array(this.n * 2));
    }
    this.t[this.n] = time;
    this.from[this.n] = from;
    this.to[this.n] = to;
    this.n++;
  }
}

export function simulateInference(
  trace: RequestTrace,
  p: InferenceParams,
  durationS: number,
): InferenceRun {
  const nInst = Math.floor(p.gpus / p.gpusPerInstance);
  const heaps = Array.from({ length: nInst }, () => new MinHeap(p.maxBatch));
  const prefillFree = new Float64Array(nInst).fill(-Infinity);
  const busyEnd = new Float64Array(nInst).fill(-Infinity);
  const hold = p.standbyHoldMs / 1000;
  const ev = new Events();

  /** Instance j goes idle/standby → active at s, after its previous busy period. */
  const startBusy = (j: number, s: number): void => {
    const e = busyEnd[j]!;
    if (e === -Infinity) {
      ev.push(s, IDLE, ACTIVE);
      return;
    }
    ev.push(e, ACTIVE, STANDBY);
    if (e + hold < s) {
      ev.push(e + hold, STANDBY, IDLE);
      ev.push(s, IDLE, ACTIVE);
    } else {
      ev.push(s, STANDBY, ACTIVE);
    }
  };

  let rr = 0;
  /** Frees finished requests up to `now`; least-loaded instance with a free slot, or -1. */
  const pick = (now: number): number => {
    let best = -1;
    let bestSize = p.maxBatch;
    for (let k = 0; k < nInst; k++) {
      const j = (rr + k) % nInst;
      const h = heaps[j]!;
      while (h.size > 0 && h.top() <= now) h.pop();
      if (h.size < bestSize) {
        best = j;
        bestSize = h.size;
      }
    }
    return best;
  };

  let now = -Infinity;
  let queueSum = 0;
  let queueMax = 0;
  let count = 0;
  const n = trace.arrivalS.length;
  for (let i = 0; i < n; i++) {
    const arrival = (trace.arrivalS[i]! - p.startOffsetS) / p.rateScale;
    if (arrival >= durationS) break;
    now = Math.max(now, arrival);
    let j = pick(now);
    while (j < 0) {
      now = Math.min(...heaps.map((h) => h.top()));
      j = pick(now);
    }
    rr = (j + 1) % nInst;
    count++;
    queueSum += now - arrival;
    queueMax = Math.max(queueMax, now - arrival);
    if (!(now <= busyEnd[j]!)) startBusy(j, now);
    const prefillEnd =
      Math.max(now, prefillFree[j]!) + trace.contextTokens[i]! / p.prefillTokensPerS;
    prefillFree[j] = prefillEnd;
    const end = prefillEnd + trace.generatedTokens[i]! / p.decodeTokensPerS;
    heaps[j]!.push(end);
    busyEnd[j] = Math.max(busyEnd[j]!, end);
  }
  for (let j = 0; j < nInst; j++) {
    const e = busyEnd[j]!;
    if (e === -Infinity) continue;
    ev.push(e, ACTIVE, STANDBY);
    ev.push(e + hold, STANDBY, IDLE);
  }
  return {
    ...toSeries(ev, p, nInst),
    instances: nInst,
    requests: count,
    meanQueueS: count > 0 ? queueSum / count : 0,
    maxQueueS: queueMax,
  };
}

/** Power from state counts rather than summed deltas, so levels carry no rounding drift. */
function toSeries(
  ev: Events,
  p: InferenceParams,
  nInst: number,
): { times: Float64Array; watts: Float64Array } {
  const perState = [p.gpuIdleW, p.gpuStandbyW, p.gpuActiveW].map((w) => w * p.gpusPerInstance);
  const fixedW = p.baseW + (p.gpus - nInst * p.gpusPerInstance) * p.gpuIdleW;
  const counts = [nInst, 0, 0];
  const level = (): number =>
    fixedW + counts[0]! * perState[0]! + counts[1]! * perState[1]! + counts[2]! * perState[2]!;
  const order = Uint32Array.from({ length: ev.n }, (_, i) => i).sort((a, b) => ev.t[a]! - ev.t[b]!);
  const times: number[] = [];
  const watts: number[] = [];
  let k = 0;
  // Everything at or before t = 0 (warm-up from startOffsetS) folds into the first point.
  while (k < ev.n && ev.t[order[k]!]! <= 0) apply(order[k++]!);
  times.push(0);
  watts.push(level());
  while (k < ev.n) {
    const t = ev.t[order[k]!]!;
    while (k < ev.n && ev.t[order[k]!] === t) apply(order[k++]!);
    times.push(t);
    watts.push(level());
  }
  return { times: Float64Array.from(times), watts: Float64Array.from(watts) };

  function apply(i: number): void {
    counts[ev.from[i]!]!--;
    counts[ev.to[i]!]!++;
  }
}
