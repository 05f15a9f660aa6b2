/**
 * The busbar is one node: capacitance C, sources with a droop characteristic and current and
 * power caps (PSUs, discharging BBUs), and constant-power sinks (IT load, chargers, housekeeping).
 *
 * Each step solves the energy balance implicitly,
 *     ½·C·(V1² − V0²) = dt · (Σ V1·I_k(V1) − P_sink),
 * rather than the current balance: with sub-milliohm droop and millifarads of capacitance the
 * node's time constant is microseconds, so explicit integration would need nanosecond steps,
 * and the energy form keeps the zone's energy books exact whatever the step.
 *
 * Source k: I_k(V) = max(0, min((a_k − V)/r_k, icap_k, pcap_k / V)).
 */
export class BusSolver {
  readonly n: number;
  readonly a: Float64Array;
  readonly r: Float64Array;
  readonly icap: Float64Array;
  readonly pcap: Float64Array;
  private readonly scratch = new Float64Array(2);
  /** Newton iterations of the last solve (diagnostics). */
  lastIterations = 0;

  constructor(n: number) {
    this.n = n;
    this.a = new Float64Array(n);
    this.r = new Float64Array(n).fill(1);
    this.icap = new Float64Array(n);
    this.pcap = new Float64Array(n);
  }

  setSource(k: number, vreg: number, rOhm: number, icapA: number, pcapW: number): void {
    this.a[k] = vreg;
    this.r[k] = rOhm;
    this.icap[k] = icapA;
    this.pcap[k] = pcapW;
  }

  disable(k: number): void {
    this.a[k] = 0;
    this.icap[k] = 0;
    this.pcap[k] = 0;
  }

  current(k: number, v: number): number {
    const droop = (this.a[k]! - v) / this.r[k]!;
    if (droop <= 0) return 0;
    let i = droop < this.icap[k]! ? droop : this.icap[k]!;
    if (v > 0) {
      const ip = this.pcap[k]! / v;
      if (ip < i) i = ip;
    }
    return i > 0 ? i : 0;
  }

  /** Total source power at v and its derivative dP/dv. */
  private power(v: number, out: Float64Array): void {
    let p = 0;
    let dp = 0;
    const { a, r, icap, pcap } = this;
    for (let k = 0; k < this.n; k++) {
      const ak = a[k]!;
      if (ak <= v) continue;
      const rk = r[k]!;
      const droop = (ak - v) / rk;
      const ic = icap[k]!;
      const ip = v > 0 ? pcap[k]! / v : Infinity;
      if (droop <= ic && droop <= ip) {
        p += v * droop;
        dp += (ak - 2 * v) / rk;
      } else if (ic <= ip) {
        p += v * ic;
        dp += ic;
      } else {
        p += pcap[k]!;
      }
    }
    out[0] = p;
    out[1] = dp;
  }

  private g(v: number, v0: number, capF: number, dtS: number, pSinkW: number): number {
    this.power(v, this.scratch);
    return 0.5 * capF * (v * v - v0 * v0) - dtS * (this.scratch[0]! - pSinkW);
  }

  /**
   * The bus voltage at the end of the step: the root of the energy equation nearest to v0 in
   * the direction the imbalance pushes (the one the trajectory reaches first); 0 when the bus
   * collapses within the step.
   */
  solve(v0: number, capF: number, dtS: number, pSinkW: number): number {
    const s = this.scratch;
    const g0 = this.g(v0, v0, capF, dtS, pSinkW);
    this.lastIterations = 0;
    // Already balanced to a nanojoule (steady state): the books stay exact to far below 0.5 %.
    if (Math.abs(g0) < 1e-9) return v0;
    // Fast path: plain Newton from v0 converges in one or two iterations near steady state.
    let v = v0;
    let gv = g0;
    for (let it = 0; it < 8; it++) {
      this.lastIterations++;
      if (it > 0) gv = this.g(v, v0, capF, dtS, pSinkW);
      const dg = capF * v - dtS * s[1]!;
      if (!(dg > 0)) break;
      const next = v - gv / dg;
      if (!(next > 0) || (g0 < 0 ? next < v0 : next > v0)) break;
      if (Math.abs(next - v) < 1e-10 || Math.abs(gv) < 1e-9) return next;
      v = next;
    }
    // Fallback: bracket the root on the side the imbalance pushes, then safeguarded Newton.
    let lo: number;
    let hi: number;
    if (g0 < 0) {
      lo = v0;
      let amax = v0;
      for (let k = 0; k < this.n; k++) if (this.a[k]! > amax) amax = this.a[k]!;
      hi = amax + 1e-9;
    } else {
      // Scan down for the first voltage at which the sources out-deliver the sinks.
      hi = v0;
      lo = -1;
      for (let x = v0 - 0.25; x > 0; x -= 0.25) {
        if (this.g(x, v0, capF, dtS, pSinkW) <= 0) {
          lo = x;
          break;
        }
        hi = x;
      }
      if (lo < 0) return 0;
    }
    v = 0.5 * (lo + hi);
    for (let it = 0; it < 100; it++) {
      this.lastIterations++;
      const gv = this.g(v, v0, capF, dtS, pSinkW);
      if (Math.abs(gv) < 1e-10) return v;
      if (gv < 0) lo = v;
      else hi = v;
      const dg = capF * v - dtS * s[1]!;
      let next = dg > 0 ? v - gv / dg : NaN;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (Math.abs(next - v) < 1e-12 || hi - lo < 1e-12) return next;
      v = next;
    }
    return v;
  }
}
