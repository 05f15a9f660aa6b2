/**
 * A PowerSupply's Manufacturer comes from its PMBus MFR_ID (read by the PSU driver over the
 * gateway's PMBus segment, since the ORv3/HPR PSU maps have no manufacturer register), and the
 * payload still validates against the DMTF PowerSupply schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identity } from '../../../sim/facade/index.js';
import {
  RedfishSchemaValidator,
  schemasAvailable,
} from '../../conformance/support/schema-validator.js';
import { startRedfishFixture, type RedfishFixture } from '../../support/redfish-fixture.js';
import { SHARED_PRESENT } from '../../support/sim.js';
import { Client } from './client.js';

if (!SHARED_PRESENT) console.warn('redfish psu manufacturer: ../shared absent; skipped');
const HAVE_SCHEMAS = SHARED_PRESENT && schemasAvailable();
if (SHARED_PRESENT && !HAVE_SCHEMAS) console.warn('redfish psu manufacturer: no DMTF schemas');

const C = '/redfish/v1/Chassis/PowerShelf1';

describe.skipIf(!SHARED_PRESENT)('Redfish PowerSupply Manufacturer from PMBus MFR_ID', () => {
  let f: RedfishFixture;
  let c: Client;
  let maker: string;

  beforeAll(async () => {
    f = await startRedfishFixture();
    c = new Client(f);
    maker = identity('hpr', 'psu', 0, f.sim.scenario.zone.psuRatedW).manufacturer;
  });
  afterAll(async () => {
    c.close();
    await f.close();
  });

  it('shows the simulated PSU maker on every PowerSupply and its firmware inventory', async () => {
    const shelf = f.service.ctx.model.shelves()[0]!;
    expect(shelf.psus.length).toBeGreaterThan(0);
    for (const m of shelf.psus) {
      expect(f.gateway.psu(m.unit)?.identity.manufacturer).toBe(maker);
      const r = await c.get(`${C}/PowerSubsystem/PowerSupplies/${m.id}`, f.admin);
      expect(r.status).toBe(200);
      expect(r.json.Manufacturer).toBe(maker);
      expect(r.json.Model).toMatch(/^SIM-HPR-PSU/); // the Modbus identity is still there
    }
    const fw = await c.get('/redfish/v1/UpdateService/FirmwareInventory/PowerShelf1_PSU1', f.admin);
    expect(fw.json.Manufacturer).toBe(maker);
    // PSUs and BBUs of the simulated shelf agree, so the shelf keeps its maker.
    expect((await c.get(C, f.admin)).json.Manufacturer).toBe(maker);
  });

  it.skipIf(!HAVE_SCHEMAS)(
    'the PowerSupply payload validates against its DMTF schema',
    async () => {
      const r = await c.get(`${C}/PowerSubsystem/PowerSupplies/PSU1`, f.admin);
      const v = new RedfishSchemaValidator().validate(r.json);
      expect(v.errors).toEqual([]);
      expect(v.ok).toBe(true);
      expect(v.schema).toMatch(/^PowerSupply\./);
    },
  );
});
