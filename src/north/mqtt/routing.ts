/**
 * One publish period's decisions: which devices need a DBIRTH or DDEATH, and where each
 * by-exception DATA record goes — the live session, or the store while there is no session or
 * the session is still replaying (live data must not overtake the backlog).
 */
import type { ReportFilter } from './deadband.js';
import type { Forwarder } from './forwarder.js';
import { NODE_SCOPE } from './metrics-model.js';
import type { Snapshot } from './owned-metrics.js';
import type { SparkplugSession } from './session.js';
import type { MetricSample } from './source.js';

export function reconcileDevices(s: SparkplugSession, snap: Snapshot): void {
  const seen = new Set<string>();
  for (const d of snap.devices) {
    seen.add(d.id);
    const names = s.bornNames(d.id);
    if (d.online) {
      if (!names || d.metrics.some((m) => !names.has(m.name))) s.dbirth(d.id, d.metrics);
    } else if (names && !s.replaying) {
      // Deaths wait for the end of a replay: the historical DDATA needs its device born.
      s.ddeath(d.id);
    }
  }
  if (!s.replaying) for (const id of s.bornDevices()) if (!seen.has(id)) s.ddeath(id);
}

export function routeData(
  s: SparkplugSession | null,
  snap: Snapshot,
  filter: ReportFilter,
  forwarder: Forwarder,
  nowMs: number,
): void {
  const route = (scope: string, samples: readonly MetricSample[]): void => {
    const changed = filter.select(scope, samples, nowMs);
    if (changed.length === 0) return;
    if (s && !s.replaying) s.data(scope, changed);
    else forwarder.keep(scope, changed);
  };
  route(NODE_SCOPE, snap.node);
  for (const d of snap.devices) {
    if (!d.online) {
      // An offline device reports nothing; when it returns, everything is news again.
      if (!s?.isBorn(d.id)) filter.forget(d.id);
      continue;
    }
    if (!s || s.isBorn(d.id)) route(d.id, d.metrics);
  }
}
