/**
 * Issue 5 acceptance: the gateway's Redfish service on the simulated shelf, walked whole over
 * HTTPS with a session, every GET payload validated against the DMTF schema its @odata.type
 * names, the OCP Power Shelf + Service Baseline profiles checked on the walked tree, and the
 * service-level rules (anonymous odata/$metadata, 401 with a Redfish error body).
 * docs/REDFISH-CONFORMANCE.md says what each check means and how to run it on another service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedfishFixture, type RedfishFixture } from '../support/redfish-fixture.js';
import {
  failures,
  runConformance,
  summary,
  type ConformanceReport,
} from './support/conformance.js';
import { jsonOf, RedfishClient } from './support/http.js';
import type { Issue } from './support/payload-checks.js';
import { checkProfiles, formatFinding } from './support/profile-checker.js';
import { loadProfiles } from './support/profile-loader.js';
import { POWER_SHELF_PROFILE, PROFILES_PRESENT, SCHEMA_DIR } from './support/paths.js';
import { RedfishSchemaValidator, schemasAvailable } from './support/schema-validator.js';

const HAVE_SCHEMAS = schemasAvailable();
/** The service's default MetricReport period (RedfishServiceOptions.reportPeriodMs). */
const REPORT_PERIOD_MS = 10_000;
const MANAGER = '/redfish/v1/Managers/Gateway';
if (!PROFILES_PRESENT) {
  console.warn(`redfish conformance: ${POWER_SHELF_PROFILE} absent: profile checks skipped`);
}

const lines = (issues: readonly Issue[]): string[] => issues.map((i) => `${i.uri}: ${i.message}`);

describe('Redfish conformance of the gateway on the simulated shelf', () => {
  let fx: RedfishFixture;
  let report: ConformanceReport;
  const walkIssues = (...checks: Issue['check'][]): string[] =>
    lines(report.walk.issues.filter((i) => checks.includes(i.check)));
  const service = (name: string): string[] =>
    lines(report.service.find((s) => s.name === name)!.issues);

  beforeAll(async () => {
    fx = await startRedfishFixture();
    // Give every kind of resource an instance to validate: one telemetry report period
    // (MetricReports) and a PSU fault (journal and event log entries).
    await fx.failPsu(5);
    await fx.advance(REPORT_PERIOD_MS + 1000);
    report = await runConformance({
      url: fx.url,
      ...(fx.ca ? { ca: fx.ca } : {}),
      // Session auth: the baseline requires a Session resource, and the walk's own is one.
      credentials: { kind: 'session', ...fx.admin },
      schemaDir: HAVE_SCHEMAS ? SCHEMA_DIR : null,
      profile: PROFILES_PRESENT ? POWER_SHELF_PROFILE : null,
    });
    console.log(`redfish conformance (${fx.url}):\n${summary(report)}`);
    const all = failures(report);
    if (all.length > 0) console.log(`failures (${all.length}):\n  ${all.join('\n  ')}`);
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('walks the tree over HTTPS from /redfish/v1', () => {
    expect(fx.url.startsWith('https://')).toBe(true);
    expect(report.walk.tree.has('/redfish/v1')).toBe(true);
    // Root, services, one shelf in both views, PSUs, BBUs, sensors: far more than a handful.
    expect(report.walk.tree.size).toBeGreaterThan(40);
  });

  it('every link resolves to a JSON resource with ETag and OData-Version headers', () => {
    expect(walkIssues('status', 'json', 'content-type')).toEqual([]);
    expect(walkIssues('ETag', 'OData-Version')).toEqual([]);
  });

  it.skipIf(!HAVE_SCHEMAS)(
    'every GET payload validates against the DMTF schema of its @odata.type',
    () => {
      expect(report.walk.validated).toBe(report.walk.tree.size);
      expect(walkIssues('schema')).toEqual([]);
    },
  );

  it('Id is the last URI segment and @odata.id the URI fetched', () => {
    expect(walkIssues('Id', 'odata.id')).toEqual([]);
  });

  it('every action target has the <resource>/Actions/<Schema>.<Action> form', () => {
    expect(walkIssues('Actions')).toEqual([]);
  });

  it.skipIf(!PROFILES_PRESENT)('meets every mandatory requirement of the OCP profiles', () => {
    expect(report.profile!.gaps.map(formatFinding)).toEqual([]);
  });

  it('serves the service root, odata and $metadata without credentials', () => {
    expect(service('odata')).toEqual([]);
  });

  it('$metadata references the CSDL of every schema namespace served', () => {
    expect(service('$metadata')).toEqual([]);
  });

  it('answers an unauthenticated GET of a protected resource with 401 and a Redfish error body', () => {
    expect(service('unauthenticated')).toEqual([]);
  });

  // The fixture's gateway only polls (no control loop), so the walk saw the Manager's
  // ControlLoop as null; a running loop's form is checked here with a ControlStatus attached.
  it('without a control loop the Manager’s Oem ControlLoop is null and its health OK', () => {
    const m = report.walk.tree.get(MANAGER) as Record<string, unknown>;
    expect(m['Oem']).toEqual({ Orv3Gateway: { ControlLoop: null } });
    expect(m['Status']).toEqual({ State: 'Enabled', Health: 'OK' });
  });

  it('with a control loop the Manager payload still validates and meets the profiles', async () => {
    fx.gateway.attachControlStatus(() => ({
      mode: 'autonomous',
      ticks: 123_456,
      overruns: 7,
      throttleRequested: true,
    }));
    const client = new RedfishClient({ url: fx.url, ...(fx.ca ? { ca: fx.ca } : {}) });
    try {
      // Past the service's 100 ms GET cache, which still holds the walk's Manager.
      await fx.advance(200);
      await client.authenticate({ kind: 'basic', ...fx.admin });
      const r = await client.get(MANAGER);
      expect(r.status).toBe(200);
      const m = jsonOf(r) as Record<string, unknown>;
      expect(m['Oem']).toEqual({
        Orv3Gateway: {
          ControlLoop: { Mode: 'Autonomous', Ticks: 123_456, Overruns: 7, ThrottleRequested: true },
        },
      });
      expect(m['Status']).toEqual({ State: 'Enabled', Health: 'Warning' });
      if (HAVE_SCHEMAS) {
        const v = new RedfishSchemaValidator(SCHEMA_DIR).validate(m);
        expect(v.errors).toEqual([]);
        expect(v.schema).toMatch(/^Manager\./);
      }
      // The throttle request: the power limit is set but cannot be held.
      const controlUri = [...report.walk.tree.keys()].find((u) =>
        u.endsWith('/Controls/PowerLimit'),
      );
      expect(controlUri).toBeDefined();
      expect((report.walk.tree.get(controlUri!) as Record<string, unknown>)['Status']).toEqual({
        State: 'Enabled',
        Health: 'OK',
      });
      const cr = await client.get(controlUri!);
      expect(cr.status).toBe(200);
      const control = jsonOf(cr) as Record<string, unknown>;
      expect(control['Status']).toEqual({ State: 'Enabled', Health: 'Warning' });
      if (HAVE_SCHEMAS) {
        const v = new RedfishSchemaValidator(SCHEMA_DIR).validate(control);
        expect(v.errors).toEqual([]);
      }
      if (PROFILES_PRESENT) {
        const tree = new Map(report.walk.tree);
        tree.set(MANAGER, m);
        tree.set(controlUri!, control);
        expect(
          checkProfiles(loadProfiles(POWER_SHELF_PROFILE), tree).gaps.map(formatFinding),
        ).toEqual([]);
      }
    } finally {
      fx.gateway.attachControlStatus(undefined);
      client.close();
    }
  });
});
