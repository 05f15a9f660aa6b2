/**
 * Each role × each method on each resource kind gets the status the DMTF privilege registry
 * prescribes (expectations written out here from the registry, not computed from our table);
 * bad credentials, expired and forged tokens, oversized and malformed bodies get the right
 * 4xx with a Redfish error body and change nothing; lockout; session cap. Simulated time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedfishFixture, type RedfishFixture } from '../../support/redfish-fixture.js';
import { SHARED_PRESENT } from '../../support/sim.js';
import { Client, messageIds, type Cred } from './client.js';

if (!SHARED_PRESENT)
  console.warn('redfish auth-matrix: ../shared absent (DMTF registries); skipped');

type Role = 'Administrator' | 'Operator' | 'ReadOnly';
const C = '/redfish/v1/Chassis/PowerShelf1';
const PSU = `${C}/PowerSubsystem/PowerSupplies/PSU1`;
const BBU = `${C}/PowerSubsystem/Batteries/BBU1`;
const ACC = '/redfish/v1/AccountService/Accounts';
const MGR = '/redfish/v1/Managers/Gateway';

interface Row {
  readonly what: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** Expected status per role (registry privilege → allowed status or 403). */
  readonly expect: Record<Role, number>;
}

// Registry: Chassis/PowerDistribution/Sensor writes need ConfigureComponents; Control,
// EnvironmentMetrics, PowerSupply, Battery, Manager, LogService, EventService, SessionService
// writes need ConfigureManager; accounts need ConfigureUsers; event subscriptions
// ConfigureManager or ConfigureComponents; certificates even to read need ConfigureManager.
const ROWS: Row[] = [
  {
    what: 'read a chassis',
    method: 'GET',
    path: C,
    expect: { Administrator: 200, Operator: 200, ReadOnly: 200 },
  },
  {
    what: 'read a sensor',
    method: 'GET',
    path: `${C}/Sensors/BusVoltage`,
    expect: { Administrator: 200, Operator: 200, ReadOnly: 200 },
  },
  {
    what: 'read the journal',
    method: 'GET',
    path: `${MGR}/LogServices/Journal/Entries`,
    expect: { Administrator: 200, Operator: 200, ReadOnly: 200 },
  },
  {
    what: 'patch Chassis AssetTag',
    method: 'PATCH',
    path: C,
    body: { AssetTag: 'rack-7' },
    expect: { Administrator: 204, Operator: 204, ReadOnly: 403 },
  },
  {
    what: 'patch PowerShelf UserLabel',
    method: 'PATCH',
    path: '/redfish/v1/PowerEquipment/PowerShelves/1',
    body: { UserLabel: 'A' },
    expect: { Administrator: 204, Operator: 204, ReadOnly: 403 },
  },
  {
    what: 'patch the power cap Control',
    method: 'PATCH',
    path: `${C}/Controls/PowerLimit`,
    body: { SetPoint: 20000 },
    expect: { Administrator: 204, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'patch PowerLimitWatts',
    method: 'PATCH',
    path: `${C}/EnvironmentMetrics`,
    body: { PowerLimitWatts: { SetPoint: 21000 } },
    expect: { Administrator: 204, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'locate a PSU',
    method: 'PATCH',
    path: PSU,
    body: { LocationIndicatorActive: true },
    expect: { Administrator: 204, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'reset a PSU',
    method: 'POST',
    path: `${PSU}/Actions/PowerSupply.Reset`,
    body: { ResetType: 'ForceRestart' },
    expect: { Administrator: 204, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'self-test a BBU',
    method: 'POST',
    path: `${BBU}/Actions/Battery.SelfTest`,
    body: {},
    expect: { Administrator: 204, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'read certificate locations',
    method: 'GET',
    path: '/redfish/v1/CertificateService/CertificateLocations',
    expect: { Administrator: 200, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'read another account',
    method: 'GET',
    path: `${ACC}/admin`,
    expect: { Administrator: 200, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'patch account policy',
    method: 'PATCH',
    path: '/redfish/v1/AccountService',
    body: { AccountLockoutThreshold: 5 },
    expect: { Administrator: 204, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'patch session timeout',
    method: 'PATCH',
    path: '/redfish/v1/SessionService',
    body: { SessionTimeout: 1800 },
    expect: { Administrator: 204, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'clear the event log',
    method: 'POST',
    path: `${MGR}/LogServices/EventLog/Actions/LogService.ClearLog`,
    body: {},
    expect: { Administrator: 204, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'submit a test event',
    method: 'POST',
    path: '/redfish/v1/EventService/Actions/EventService.SubmitTestEvent',
    body: {},
    expect: { Administrator: 204, Operator: 403, ReadOnly: 403 },
  },
  {
    what: 'PATCH a sensor (no such method)',
    method: 'PATCH',
    path: `${C}/Sensors/BusVoltage`,
    body: { Reading: 1 },
    expect: { Administrator: 405, Operator: 405, ReadOnly: 405 },
  },
  {
    what: 'DELETE a chassis (no such method)',
    method: 'DELETE',
    path: C,
    expect: { Administrator: 405, Operator: 405, ReadOnly: 405 },
  },
  {
    what: 'PUT a chassis (no such method)',
    method: 'PUT',
    path: C,
    body: {},
    expect: { Administrator: 405, Operator: 405, ReadOnly: 405 },
  },
];

describe.skipIf(!SHARED_PRESENT)('Redfish authorisation per the privilege registry', () => {
  let f: RedfishFixture;
  let c: Client;
  const cred = (r: Role): Cred => f.accounts[r];

  beforeAll(async () => {
    f = await startRedfishFixture({
      insecureHttp: true,
      redfish: { sessionPolicy: { maxSessions: 6 } },
    });
    c = new Client(f);
  });
  afterAll(async () => {
    c.close();
    await f.close();
  });

  for (const row of ROWS)
    for (const role of ['Administrator', 'Operator', 'ReadOnly'] as Role[])
      it(`${role}: ${row.what} → ${row.expect[role]}`, async () => {
        const r = await c.request(row.method, row.path, { cred: cred(role), body: row.body });
        expect(r.status, r.text).toBe(row.expect[role]);
        if (r.status === 403) expect(messageIds(r)).toEqual(['Base.InsufficientPrivilege']);
        if (r.status === 405) {
          expect(messageIds(r)).toEqual(['Base.OperationNotAllowed']);
          expect(r.headers['allow']).toBeDefined();
        }
      });

  it('a refused write changes nothing (Operator on the power cap)', async () => {
    const before = f.gateway.commands.powerCapW;
    const r = await c.request('PATCH', `${C}/Controls/PowerLimit`, {
      cred: cred('Operator'),
      body: { SetPoint: 15000 },
    });
    expect(r.status).toBe(403);
    expect(f.gateway.commands.powerCapW).toBe(before);
  });

  it('accounts: only ConfigureUsers creates and deletes; everyone changes only their own password', async () => {
    const body = { UserName: 'tmp1', Password: 'a-long-enough-password', RoleId: 'ReadOnly' };
    for (const role of ['Operator', 'ReadOnly'] as Role[]) {
      const r = await c.request('POST', ACC, { cred: cred(role), body });
      expect(r.status).toBe(403);
    }
    expect(f.service.ctx.accounts.get('tmp1')).toBeUndefined();
    const made = await c.request('POST', ACC, { cred: cred('Administrator'), body });
    expect(made.status).toBe(201);
    expect(made.headers['location']).toBe(`${ACC}/tmp1`);
    // Own password: allowed with ConfigureSelf; someone else's: refused.
    const own = await c.request('PATCH', `${ACC}/tmp1`, {
      cred: { user: 'tmp1', password: body.Password },
      body: { Password: 'another-long-password' },
    });
    expect(own.status).toBe(204);
    const other = await c.request('PATCH', `${ACC}/tmp1`, {
      cred: cred('Operator'),
      body: { Password: 'operator-sets-this-one' },
    });
    expect(other.status).toBe(403);
    const promote = await c.request('PATCH', `${ACC}/tmp1`, {
      cred: { user: 'tmp1', password: 'another-long-password' },
      body: { RoleId: 'Administrator' },
    });
    expect(promote.status).toBe(403);
    expect(f.service.ctx.accounts.get('tmp1')!.roleId).toBe('ReadOnly');
    expect(
      (await c.get(`${ACC}/tmp1`, { user: 'tmp1', password: 'another-long-password' })).status,
    ).toBe(200);
    expect((await c.request('DELETE', `${ACC}/tmp1`, { cred: cred('Operator') })).status).toBe(403);
    expect((await c.request('DELETE', `${ACC}/tmp1`, { cred: cred('Administrator') })).status).toBe(
      204,
    );
    expect(f.service.ctx.accounts.get('tmp1')).toBeUndefined();
  });

  it('event subscriptions: Operator may subscribe (ConfigureComponents), only the owner or an admin deletes', async () => {
    const sub = { Destination: 'http://127.0.0.1:9/events', Protocol: 'Redfish' };
    expect(
      (
        await c.request('POST', '/redfish/v1/EventService/Subscriptions', {
          cred: cred('ReadOnly'),
          body: sub,
        })
      ).status,
    ).toBe(403);
    const r = await c.request('POST', '/redfish/v1/EventService/Subscriptions', {
      cred: cred('Operator'),
      body: sub,
    });
    expect(r.status).toBe(201);
    const uri = r.headers['location'] as string;
    expect((await c.request('DELETE', uri, { cred: cred('ReadOnly') })).status).toBe(403);
    expect((await c.request('DELETE', uri, { cred: cred('Operator') })).status).toBe(204);
  });

  it('authentication: everything but the service root, odata and $metadata needs credentials', async () => {
    for (const p of ['/redfish', '/redfish/v1', '/redfish/v1/odata', '/redfish/v1/$metadata'])
      expect((await c.get(p)).status, p).toBe(200);
    const r = await c.get(C);
    expect(r.status).toBe(401);
    expect(messageIds(r)).toEqual(['Base.NoValidSession']);
    expect(r.headers['www-authenticate']).toMatch(/^Basic/);
  });

  it('bad password, forged token, expired token → 401 with a Redfish error body', async () => {
    const bad = await c.get(C, { user: 'readonly', password: 'wrong-password' });
    expect(bad.status).toBe(401);
    expect(bad.json.error['@Message.ExtendedInfo'][0].MessageId).toMatch(/^Base\.\d+\.\d+\.\d+\./);
    const forged = await c.get(C, { token: 'A'.repeat(43) });
    expect(forged.status).toBe(401);
    expect(messageIds(forged)).toEqual(['Base.NoValidSession']);

    const s = await c.login(f.accounts.Operator.user, f.accounts.Operator.password);
    expect((await c.get(C, { token: s.token })).status).toBe(200);
    expect(
      (
        await c.request('PATCH', '/redfish/v1/SessionService', {
          cred: cred('Administrator'),
          body: { SessionTimeout: 30 },
        })
      ).status,
    ).toBe(204);
    await f.advance(31_000);
    const expired = await c.get(C, { token: s.token });
    expect(expired.status).toBe(401);
    expect(messageIds(expired)).toEqual(['Base.NoValidSession']);
    await c.request('PATCH', '/redfish/v1/SessionService', {
      cred: cred('Administrator'),
      body: { SessionTimeout: 1800 },
    });
  });

  it('logout: DELETE of the own session ends it; other users cannot delete it', async () => {
    const mine = await c.login(f.accounts.ReadOnly.user, f.accounts.ReadOnly.password);
    const theirs = await c.login(f.accounts.Operator.user, f.accounts.Operator.password);
    expect((await c.request('DELETE', theirs.uri, { cred: { token: mine.token } })).status).toBe(
      403,
    );
    expect((await c.request('DELETE', mine.uri, { cred: { token: mine.token } })).status).toBe(204);
    expect((await c.get(C, { token: mine.token })).status).toBe(401);
    expect((await c.get(C, { token: theirs.token })).status).toBe(200);
    await c.request('DELETE', theirs.uri, { cred: { token: theirs.token } });
  });

  it('oversized and malformed bodies → 413 / 400 MalformedJSON, nothing changes', async () => {
    const before = f.gateway.commands.powerCapW;
    const big = await c.request('PATCH', `${C}/Controls/PowerLimit`, {
      cred: cred('Administrator'),
      raw: `{"SetPoint": 15000, "x": "${'y'.repeat(70_000)}"}`,
    });
    expect(big.status).toBe(413);
    expect(messageIds(big)).toEqual(['Base.PayloadTooLarge']);
    const broken = await c.request('PATCH', `${C}/Controls/PowerLimit`, {
      cred: cred('Administrator'),
      raw: '{"SetPoint": 15000',
    });
    expect(broken.status).toBe(400);
    expect(messageIds(broken)).toEqual(['Base.MalformedJSON']);
    const unknown = await c.request('PATCH', `${C}/Controls/PowerLimit`, {
      cred: cred('Administrator'),
      body: { SetPiont: 15000 },
    });
    expect(unknown.status).toBe(400);
    expect(messageIds(unknown)).toEqual(['Base.PropertyUnknown']);
    expect(f.gateway.commands.powerCapW).toBe(before);
  });

  it('locks an account after repeated failures, even for the right password, until the duration ends', async () => {
    const made = await c.request('POST', ACC, {
      cred: cred('Administrator'),
      body: { UserName: 'victim', Password: 'victim-password-1', RoleId: 'ReadOnly' },
    });
    expect(made.status).toBe(201);
    // A short lockout so that simulated time can pass it quickly.
    const policy = await c.request('PATCH', '/redfish/v1/AccountService', {
      cred: cred('Administrator'),
      body: { AccountLockoutDuration: 2 },
    });
    expect(policy.status).toBe(204);
    const threshold = f.service.ctx.accounts.policy.lockoutThreshold;
    for (let i = 0; i < threshold; i++)
      expect((await c.get(C, { user: 'victim', password: `nope-${i}` })).status).toBe(401);
    expect((await c.get(C, { user: 'victim', password: 'victim-password-1' })).status).toBe(401);
    expect((await c.get(`${ACC}/victim`, cred('Administrator'))).json.Locked).toBe(true);
    await f.advance(2500);
    expect((await c.get(C, { user: 'victim', password: 'victim-password-1' })).status).toBe(200);
  });

  it('caps the number of sessions', async () => {
    const live = f.service.ctx.sessions.size;
    const max = f.service.ctx.sessions.policy.maxSessions;
    for (let i = live; i < max; i++)
      await c.login(f.accounts.ReadOnly.user, f.accounts.ReadOnly.password);
    const r = await c.request('POST', '/redfish/v1/SessionService/Sessions', {
      body: { UserName: f.accounts.ReadOnly.user, Password: f.accounts.ReadOnly.password },
    });
    expect(r.status).toBe(503);
    expect(messageIds(r)).toEqual(['Base.SessionLimitExceeded']);
    expect(f.service.ctx.sessions.size).toBe(max);
  });
});
