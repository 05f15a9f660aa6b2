/**
 * The power cap written through Redfish reaches gateway.commands and is reflected in the
 * Control and in EnvironmentMetrics; conditional requests (If-Match 412, If-None-Match 304);
 * OData-Version; the query parameters ProtocolFeaturesSupported declares; TLS with the
 * generated certificate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedfishFixture, type RedfishFixture } from '../../support/redfish-fixture.js';
import { SHARED_PRESENT } from '../../support/sim.js';
import { Client, messageIds } from './client.js';

if (!SHARED_PRESENT) console.warn('redfish writes: ../shared absent (DMTF registries); skipped');

const C = '/redfish/v1/Chassis/PowerShelf1';
const CONTROL = `${C}/Controls/PowerLimit`;

describe.skipIf(!SHARED_PRESENT)('Redfish writes, conditions and queries (TLS)', () => {
  let f: RedfishFixture;
  let c: Client;

  beforeAll(async () => {
    f = await startRedfishFixture();
    c = new Client(f);
  });
  afterAll(async () => {
    c.close();
    await f.close();
  });

  it('serves HTTPS with the generated certificate, which the Certificate resource shows', async () => {
    expect(f.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(f.ca).toMatch(/BEGIN CERTIFICATE/);
    const cert = await c.get(
      '/redfish/v1/Managers/Gateway/NetworkProtocol/HTTPS/Certificates/1',
      f.admin,
    );
    expect(cert.status).toBe(200);
    expect(cert.json.CertificateString).toBe(f.ca);
    expect(cert.headers['strict-transport-security']).toBeDefined();
  });

  it('PATCH Control SetPoint → gateway.commands.powerCapW, reflected in Control and EnvironmentMetrics', async () => {
    const bounds = f.gateway.commands.powerCapBoundsW;
    const ctl = await c.get(CONTROL, f.admin);
    expect(ctl.json.ControlType).toBe('Power');
    expect(ctl.json.AllowableMin).toBe(bounds.min);
    expect(ctl.json.AllowableMax).toBe(bounds.max);
    expect(ctl.json.ControlMode).toBe('Disabled');

    expect(
      (await c.request('PATCH', CONTROL, { cred: f.admin, body: { SetPoint: 25_000 } })).status,
    ).toBe(204);
    expect(f.gateway.commands.powerCapW).toBe(25_000);
    const after = await c.get(CONTROL, f.admin);
    expect(after.json.SetPoint).toBe(25_000);
    expect(after.json.ControlMode).toBe('Automatic');
    const env = await c.get(`${C}/EnvironmentMetrics`, f.admin);
    expect(env.json.PowerLimitWatts.SetPoint).toBe(25_000);
    expect(env.json.PowerLimitWatts.DataSourceUri).toBe(CONTROL);
    expect(env.json.PowerWatts.Reading).toBeGreaterThan(15_000);

    // Through EnvironmentMetrics, and bounded by AllowableMax.
    expect(
      (
        await c.request('PATCH', `${C}/EnvironmentMetrics`, {
          cred: f.admin,
          body: { PowerLimitWatts: { SetPoint: 22_000 } },
        })
      ).status,
    ).toBe(204);
    expect(f.gateway.commands.powerCapW).toBe(22_000);
    const over = await c.request('PATCH', CONTROL, {
      cred: f.admin,
      body: { SetPoint: bounds.max + 1 },
    });
    expect(over.status).toBe(400);
    expect(messageIds(over)).toEqual(['Base.PropertyValueOutOfRange']);
    const wrongType = await c.request('PATCH', CONTROL, {
      cred: f.admin,
      body: { SetPoint: '20000' },
    });
    expect(messageIds(wrongType)).toEqual(['Base.PropertyValueTypeError']);
    expect(f.gateway.commands.powerCapW).toBe(22_000);

    const reset = await c.request('POST', `${CONTROL}/Actions/Control.ResetToDefaults`, {
      cred: f.admin,
      body: {},
    });
    expect(reset.status).toBe(204);
    expect(f.gateway.commands.powerCapW).toBeNull();
  });

  it('If-Match: a stale ETag → 412 and no change; the current one → applied; If-None-Match → 304', async () => {
    const first = await c.get(`${C}/PowerSubsystem/PowerSupplies/PSU2`, f.admin);
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(
      (await c.get(`${C}/PowerSubsystem/PowerSupplies/PSU2`, f.admin, { 'If-None-Match': etag }))
        .status,
    ).toBe(304);

    const label = '/redfish/v1/PowerEquipment/PowerShelves/1';
    const cur = await c.get(label, f.admin);
    expect(
      (await c.request('PATCH', label, { cred: f.admin, body: { UserLabel: 'row 3' } })).status,
    ).toBe(204);
    const stale = await c.request('PATCH', label, {
      cred: f.admin,
      body: { UserLabel: 'lost update' },
      headers: { 'If-Match': cur.headers['etag'] as string },
    });
    expect(stale.status).toBe(412);
    expect(messageIds(stale)).toEqual(['Base.PreconditionFailed']);
    expect((await c.get(label, f.admin)).json.UserLabel).toBe('row 3');
    const now = await c.get(label, f.admin);
    const ok = await c.request('PATCH', label, {
      cred: f.admin,
      body: { UserLabel: 'row 4' },
      headers: { 'If-Match': now.headers['etag'] as string },
    });
    expect(ok.status).toBe(204);
    expect((await c.get(label, f.admin)).json.UserLabel).toBe('row 4');
  });

  it('PATCH LocationIndicatorActive reaches the PSU over Modbus (commands.locate)', async () => {
    const psu = `${C}/PowerSubsystem/PowerSupplies/PSU2`;
    expect(
      (await c.request('PATCH', psu, { cred: f.admin, body: { LocationIndicatorActive: true } }))
        .status,
    ).toBe(204);
    expect((await c.get(psu, f.admin)).json.LocationIndicatorActive).toBe(true);
  });

  it('OData-Version other than 4.0 → 412; 4.0 accepted', async () => {
    const bad = await c.get(C, f.admin, { 'OData-Version': '4.01' });
    expect(bad.status).toBe(412);
    expect(messageIds(bad)).toEqual(['Base.HeaderInvalid']);
    expect((await c.get(C, f.admin, { 'OData-Version': '4.0' })).status).toBe(200);
  });

  it('queries: $select, $expand, only as declared; anything else $-prefixed → 501', async () => {
    const root = await c.get('/redfish/v1');
    const pf = root.json.ProtocolFeaturesSupported;
    expect(pf.SelectQuery && pf.OnlyMemberQuery && pf.ExpandQuery.ExpandAll).toBe(true);
    expect(pf.FilterQuery).toBe(false);

    const sel = await c.get(`${C}?$select=Status/Health,ChassisType`, f.admin);
    expect(Object.keys(sel.json).sort()).toEqual([
      '@odata.id',
      '@odata.type',
      'ChassisType',
      'Status',
    ]);
    expect(Object.keys(sel.json.Status)).toEqual(['Health']);

    const exp = await c.get(`${C}/PowerSubsystem/PowerSupplies?$expand=.`, f.admin);
    expect(exp.json.Members).toHaveLength(6);
    expect(exp.json.Members[0].PowerCapacityWatts).toBe(5500);

    const only = await c.get(`${C}/Controls?only`, f.admin);
    expect(only.json['@odata.id']).toBe(CONTROL);

    for (const q of ['$filter=Id eq 1', '$top=1', '$skip=1', 'excerpt']) {
      const r = await c.get(`${C}/Sensors?${q}`, f.admin);
      expect(r.status, q).toBe(501);
      expect(messageIds(r)).toEqual(['Base.QueryParameterUnsupported']);
    }
    expect((await c.get(`${C}?$expand=.($levels=9)`, f.admin)).status).toBe(400);
  });

  it('unknown resources → 404 with the registry message', async () => {
    const r = await c.get(`${C}/PowerSubsystem/PowerSupplies/PSU9`, f.admin);
    expect(r.status).toBe(404);
    expect(messageIds(r)).toEqual(['Base.ResourceNotFound']);
  });
});
