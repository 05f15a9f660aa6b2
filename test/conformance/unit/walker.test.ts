import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSampleService, type SampleService } from '../samples/sample-service.js';
import { sampleTree } from '../samples/tree.js';
import { failures, runConformance, summary } from '../support/conformance.js';
import { PROFILES_PRESENT, POWER_SHELF_PROFILE } from '../support/paths.js';
import { RedfishSchemaValidator, schemasAvailable } from '../support/schema-validator.js';
import { walk } from '../support/walker.js';

const HAVE_SCHEMAS = schemasAvailable();

describe('walker against the sample service', () => {
  let svc: SampleService | undefined;
  let validator: RedfishSchemaValidator | null = null;
  beforeAll(() => {
    validator = HAVE_SCHEMAS ? new RedfishSchemaValidator() : null;
  });
  afterEach(async () => {
    await svc?.close();
    svc = undefined;
  });

  it('walks every resource once with session auth, writes only its own session, finds nothing wrong', async () => {
    const tree = sampleTree();
    svc = await startSampleService({ tree });
    const s = svc;
    const r = await walk({
      url: s.url,
      credentials: { kind: 'session', user: s.user, password: s.password },
      validator,
    });
    expect(r.issues).toEqual([]);
    expect([...r.tree.keys()].sort()).toEqual([...tree.keys()].sort());
    expect(r.validated).toBe(validator ? tree.size : 0);
    expect([...s.gets.values()].every((n) => n === 1)).toBe(true);
    expect(s.writes).toEqual([
      'POST /redfish/v1/SessionService/Sessions',
      'DELETE /redfish/v1/SessionService/Sessions/s1',
    ]);
  });

  it('reports a missing ETag, a wrong Id, a wrong @odata.id, a bad action target, a broken link and schema errors, by URI', async () => {
    const tree = sampleTree();
    const psu = '/redfish/v1/Chassis/shelf0/PowerSubsystem/PowerSupplies/0';
    const p = tree.get(psu)!;
    p.Id = 'PSU0';
    p.Actions = { '#PowerSupply.Reset': { target: `${psu}/PowerSupply.Reset` } };
    p.Metrics = { '@odata.id': `${psu}/Metrix` };
    p.Status = { State: 'Enabled', Health: 'Fine' };
    tree.get('/redfish/v1/Managers/gw')!['@odata.id'] = '/redfish/v1/Managers/gw/';
    svc = await startSampleService({ tree, noEtag: new Set(['/redfish/v1/Chassis']) });
    const r = await walk({
      url: svc.url,
      credentials: { kind: 'basic', user: svc.user, password: svc.password },
      validator,
    });
    const got = r.issues.map((i) => `${i.check} ${i.uri}`).sort();
    expect(got).toEqual(
      [
        'ETag /redfish/v1/Chassis',
        `Id ${psu}`,
        `Actions ${psu}`,
        `status ${psu}/Metrix`,
        'odata.id /redfish/v1/Managers/gw',
        ...(validator ? [`schema ${psu}`] : []),
      ].sort(),
    );
    expect(r.issues.find((i) => i.check === 'status')!.message).toBe('GET returned HTTP 404');
  });

  it('stops at its bounds and says how much it left out', async () => {
    svc = await startSampleService({ tree: sampleTree() });
    const r = await walk({
      url: svc.url,
      credentials: { kind: 'basic', user: svc.user, password: svc.password },
      validator: null,
      maxResources: 10,
    });
    expect(r.tree.size).toBe(10);
    expect(r.skipped).toBeGreaterThan(0);
  });

  it('bounds the members walked per collection', async () => {
    svc = await startSampleService({ tree: sampleTree() });
    const r = await walk({
      url: svc.url,
      credentials: { kind: 'basic', user: svc.user, password: svc.password },
      validator: null,
      maxMembersPerCollection: 1,
    });
    expect(r.notes).toContain('/redfish/v1/Chassis/shelf0/Sensors: 2 members, walked the first 1');
    expect(r.tree.has('/redfish/v1/Chassis/shelf0/Sensors/Inlet')).toBe(false);
  });

  it('a full conformance run passes on the conformant sample and fails on a $metadata gap', async () => {
    svc = await startSampleService({
      tree: sampleTree(),
      metadataOmits: new Set(['Sensor.v1_12_0']),
    });
    const r = await runConformance({
      url: svc.url,
      credentials: { kind: 'session', user: svc.user, password: svc.password },
      schemaDir: null,
      validator,
      profile: PROFILES_PRESENT ? POWER_SHELF_PROFILE : null,
    });
    expect(failures(r)).toEqual([
      'status /redfish/v1/$metadata: no edmx:Reference includes namespace Sensor.v1_12_0',
    ]);
    expect(summary(r)).toMatch(/^resources walked: 48, payloads validated: (48|0),/);
    expect(r.service.find((s) => s.name === 'unauthenticated')!.issues).toEqual([]);
  });
});
