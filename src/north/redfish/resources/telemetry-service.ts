/** TelemetryService with its MetricReportDefinitions and periodic MetricReports. */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { notFound } from '../http/errors.js';
import { MR, MRD, TELEMETRY } from '../telemetry/reports.js';
import { odataType } from '../schemas.js';
import { collection, link, status } from './util.js';

function telemetryService(req: Req): JsonObject {
  return {
    '@odata.id': TELEMETRY,
    '@odata.type': odataType('TelemetryService'),
    Id: 'TelemetryService',
    Name: 'Telemetry Service',
    ServiceEnabled: true,
    MaxReports: req.ctx.reports.definitionIds().length,
    MinCollectionInterval: `PT${req.ctx.reports.periodMs / 1000}S`,
    MetricReportDefinitions: link(MRD),
    MetricReports: link(MR),
    Status: status('Enabled', 'OK'),
  };
}

export const telemetryRoutes: RouteDef[] = [
  { path: TELEMETRY, entity: 'TelemetryService', get: telemetryService },
  {
    path: MRD,
    entity: 'MetricReportDefinitionCollection',
    get: (req) =>
      collection(
        MRD,
        'MetricReportDefinitionCollection',
        'Metric report definitions',
        req.ctx.reports.definitionIds().map((i) => `${MRD}/${i}`),
      ),
  },
  {
    path: `${MRD}/{MetricReportDefinitionId}`,
    entity: 'MetricReportDefinition',
    get: (req) => {
      const id = req.params['MetricReportDefinitionId']!;
      return (
        req.ctx.reports.definition(id) ??
        (() => {
          throw notFound('MetricReportDefinition', id);
        })()
      );
    },
  },
  {
    path: MR,
    entity: 'MetricReportCollection',
    get: (req) =>
      collection(
        MR,
        'MetricReportCollection',
        'Metric reports',
        req.ctx.reports.reportIds().map((i) => `${MR}/${i}`),
      ),
  },
  {
    path: `${MR}/{MetricReportId}`,
    entity: 'MetricReport',
    get: (req) => {
      const id = req.params['MetricReportId']!;
      return (
        req.ctx.reports.report(id) ??
        (() => {
          throw notFound('MetricReport', id);
        })()
      );
    },
  },
];
