/**
 * TelemetryService metric reports: one periodic definition per power shelf (shelf input
 * power, bus voltage and power, each PSU's output power, each BBU's state of charge), sampled
 * on the gateway clock; the latest report of each is kept (ReportUpdates Overwrite) and sent
 * to MetricReport subscribers and SSE.
 */
import type { Clock, TimerHandle } from '../../../clock/index.js';
import type { Gateway } from '../../../gateway/index.js';
import type { EventBus } from '../events/event-service.js';
import type { JsonObject } from '../http/route.js';
import type { ShelfModel, ShelfView } from '../model.js';
import { readingsOf, sensorUri } from '../readings.js';
import { odataType } from '../schemas.js';

export const TELEMETRY = '/redfish/v1/TelemetryService';
export const MRD = `${TELEMETRY}/MetricReportDefinitions`;
export const MR = `${TELEMETRY}/MetricReports`;

export interface MetricReports {
  definitionIds(): string[];
  definition(id: string): JsonObject | undefined;
  reportIds(): string[];
  report(id: string): JsonObject | undefined;
  readonly periodMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const reportId = (s: ShelfView): string => `PowerShelf${s.id}Power`;

function sensorIds(s: ShelfView): string[] {
  return [
    'ShelfInputPower',
    'BusVoltage',
    'BusPower',
    ...s.psus.map((m) => `${m.id}OutputPower`),
    ...s.bbus.map((m) => `${m.id}StateOfCharge`),
  ];
}

export class PeriodicReports implements MetricReports {
  private timer: TimerHandle | undefined;
  private readonly latest = new Map<string, JsonObject>();
  private sequence = 0;

  constructor(
    private readonly clock: Clock,
    private readonly gateway: Gateway,
    private readonly model: ShelfModel,
    private readonly bus: EventBus,
    readonly periodMs = 10_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.generate();
    this.timer = this.clock.setInterval(() => this.generate(), this.periodMs);
  }

  stop(): void {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private shelfOf(id: string): ShelfView | undefined {
    return this.model.shelves().find((s) => reportId(s) === id);
  }

  definitionIds(): string[] {
    return this.model.shelves().map(reportId);
  }

  reportIds(): string[] {
    return [...this.latest.keys()];
  }

  definition(id: string): JsonObject | undefined {
    const s = this.shelfOf(id);
    if (!s) return undefined;
    return {
      '@odata.id': `${MRD}/${id}`,
      '@odata.type': odataType('MetricReportDefinition'),
      Id: id,
      Name: `Power of power shelf ${s.id}`,
      MetricReportDefinitionType: 'Periodic',
      MetricReportDefinitionEnabled: true,
      ReportActions: ['LogToMetricReportsCollection', 'RedfishEvent'],
      ReportUpdates: 'Overwrite',
      Schedule: { RecurrenceInterval: `PT${this.periodMs / 1000}S` },
      Metrics: sensorIds(s).map((sid) => ({
        MetricId: sid,
        MetricProperties: [`${sensorUri(s, sid)}/Reading`],
      })),
      MetricReport: { '@odata.id': `${MR}/${id}` },
      Status: { State: 'Enabled', Health: 'OK' },
    };
  }

  report(id: string): JsonObject | undefined {
    return this.latest.get(id);
  }

  /** Samples every definition now (the timer's work; public for tests). */
  generate(): void {
    const shelves = this.model.shelves();
    const now = this.clock.epochMs();
    for (const s of shelves) {
      const r = readingsOf(this.gateway, s, shelves);
      const id = reportId(s);
      const values = sensorIds(s).flatMap((sid) => {
        const v = r.get(sid)?.read();
        if (!v || v.value === null) return [];
        return [
          {
            MetricId: sid,
            MetricValue: String(Math.round(v.value * 1000) / 1000),
            Timestamp: iso(v.atEpochMs ?? now),
            MetricProperty: `${sensorUri(s, sid)}/Reading`,
          },
        ];
      });
      const uri = `${MR}/${id}`;
      const report: JsonObject = {
        '@odata.id': uri,
        '@odata.type': odataType('MetricReport'),
        Id: id,
        Name: `Power of power shelf ${s.id}`,
        MetricReportDefinition: { '@odata.id': `${MRD}/${id}` },
        Timestamp: iso(now),
        ReportSequence: String(++this.sequence),
        MetricValues: values,
      };
      this.latest.set(id, report);
      this.bus.publishReport(report, uri);
    }
  }
}
