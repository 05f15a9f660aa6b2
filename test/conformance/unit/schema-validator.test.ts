import { beforeAll, describe, expect, it } from 'vitest';
import { sampleTree, type Payload } from '../samples/tree.js';
import { RedfishSchemaValidator, schemasAvailable } from '../support/schema-validator.js';

const PSU_URI = '/redfish/v1/Chassis/shelf0/PowerSubsystem/PowerSupplies/0';

describe.skipIf(!schemasAvailable())('RedfishSchemaValidator (DMTF bundle)', () => {
  let v: RedfishSchemaValidator;
  let tree: Map<string, Payload>;
  const psu = (patch: Payload = {}): Payload => ({
    ...structuredClone(tree.get(PSU_URI)!),
    ...patch,
  });

  beforeAll(() => {
    v = new RedfishSchemaValidator();
    tree = sampleTree();
  });

  it('accepts a valid PowerSupply and names the schema it used', () => {
    const r = v.validate(psu());
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.schema).toBe('PowerSupply.v1_6_0.json#/definitions/PowerSupply');
  });

  it('checks an older errata-less version against the errata file of the same minor', () => {
    const r = v.validate(psu({ '@odata.type': '#PowerSupply.v1_5_0.PowerSupply' }));
    expect(r.schema).toBe('PowerSupply.v1_5_4.json#/definitions/PowerSupply');
    expect(r.notes).toEqual(['PowerSupply.v1_5_0 checked against errata PowerSupply.v1_5_4.json']);
  });

  it('rejects a value of the wrong type', () => {
    const r = v.validate(psu({ PowerCapacityWatts: '5500' }));
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual(['/PowerCapacityWatts: "5500" must be number,null']);
  });

  it('rejects an unknown property where additionalProperties is false, at any depth', () => {
    const r = v.validate(psu({ Foo: 1, Status: { State: 'Enabled', Health: 'OK', Bar: true } }));
    expect(r.errors).toEqual(['/: unknown property "Foo"', '/Status: unknown property "Bar"']);
  });

  it('rejects a value outside an enum and lists the allowed ones', () => {
    const r = v.validate(psu({ Status: { State: 'Enabled', Health: 'Fine' } }));
    expect(r.errors).toEqual(['/Status/Health: "Fine" is not one of OK, Warning, Critical']);
  });

  it('rejects a link that carries more than @odata.id and no @odata.type', () => {
    const r = v.validate(psu({ Metrics: { '@odata.id': `${PSU_URI}/Metrics`, Reading: 3 } }));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^\/Metrics: must be a link/);
  });

  it('rejects a payload without a required property', () => {
    const p = psu();
    delete p.Name;
    expect(v.validate(p).errors).toEqual(['/: missing required property "Name"']);
  });

  it('validates collections against the resource branch, not the bare link', () => {
    const c = tree.get('/redfish/v1/Chassis/shelf0/PowerSubsystem/PowerSupplies')!;
    expect(v.validate(c).errors).toEqual([]);
    expect(
      v.validate({ '@odata.id': c['@odata.id'], '@odata.type': c['@odata.type'] }).errors,
    ).toEqual([
      '/: missing required property "Members"',
      '/: missing required property "Members@odata.count"',
      '/: missing required property "Name"',
    ]);
  });

  it('reports an @odata.type it cannot map to a schema', () => {
    expect(v.validate(psu({ '@odata.type': '#Nonsense.v1_0_0.Nonsense' })).errors[0]).toMatch(
      /no schema for Nonsense.v1_0_0/,
    );
    expect(v.validate(psu({ '@odata.type': 'PowerSupply' })).errors[0]).toMatch(
      /is not #Namespace/,
    );
    expect(v.validate(psu({ '@odata.type': '#PowerSupply.v1_99_0.PowerSupply' })).ok).toBe(false);
  });

  it('validates expanded members against their own @odata.type, and notes unknown OEM types', () => {
    const c = structuredClone(tree.get('/redfish/v1/Chassis/shelf0/PowerSubsystem/PowerSupplies')!);
    c.Members = [psu({ Status: { State: 'Enabled', Health: 'Fine' } })];
    expect(v.validate(c).errors).toEqual([
      '/Members/0/Status/Health: "Fine" is not one of OK, Warning, Critical',
    ]);
    const oem = v.validate(psu({ Oem: { Contoso: { '@odata.type': '#Contoso.v1_0_0.Psu' } } }));
    expect(oem.ok).toBe(true);
    expect(oem.notes).toEqual([
      '/Oem/Contoso: no schema for Contoso.v1_0_0 (bundle has none) (OEM, not checked)',
    ]);
  });

  it('checks the messages inside an error body', () => {
    const body = {
      error: {
        code: 'Base.1.22.NoValidSession',
        message: 'no session',
        '@Message.ExtendedInfo': [
          {
            '@odata.type': '#Message.v1_3_0.Message',
            MessageId: 'Base.1.22.NoValidSession',
            MessageSeverity: 'Awful',
          },
        ],
      },
    };
    const r = v.validateErrorBody(body);
    expect(r.schema).toMatch(/^redfish-error\.v1_0_\d+\.json#\/definitions\/RedfishError$/);
    expect(r.errors).toEqual([
      '/error/@Message.ExtendedInfo/0/MessageSeverity: "Awful" is not one of OK, Warning, Critical',
    ]);
  });

  it('checks the Redfish error body shape', () => {
    expect(v.validateErrorBody({ error: { message: 'x' } }).errors).toEqual([
      '/error: missing required property "code"',
    ]);
  });

  it('accepts every payload of the handwritten sample tree', () => {
    const bad = [...tree].flatMap(([uri, p]) => v.validate(p).errors.map((e) => `${uri} ${e}`));
    expect(bad).toEqual([]);
  });

  it('only relaxes strictTypes, and says where', () => {
    expect(v.warnings.length).toBeGreaterThan(0);
    for (const w of v.warnings) expect(w).toMatch(/\(strictTypes\)$/);
  });
});
