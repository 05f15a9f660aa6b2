/**
 * What the conformance walk found missing, served from the gateway's own knowledge: identity
 * from the modules' Modbus identity registers, power peaks from the first request, the HTTPS
 * certificate serial in the schema's form, the host's interfaces with speed and name servers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedfishFixture, type RedfishFixture } from '../../support/redfish-fixture.js';
import { SHARED_PRESENT } from '../../support/sim.js';
import { Client } from './client.js';

if (!SHARED_PRESENT) console.warn('redfish inventory: ../shared absent (DMTF registries); skipped');

const C = '/redfish/v1/Chassis/PowerShelf1';
const MGR = '/redfish/v1/Managers/Gateway';

describe.skipIf(!SHARED_PRESENT)('Redfish identity, peaks and host facts', () => {
  let f: RedfishFixture;
  let c: Client;

  beforeAll(async () => {
    // The shelf does not move between these requests: nothing here advances simulated time,
    // so the event monitor has not sampled anything yet.
    f = await startRedfishFixture();
    c = new Client(f);
  });
  afterAll(async () => {
    c.close();
    await f.close();
  });

  it('reports PeakReading and PeakReadingTime on power sensors before the monitor first runs', async () => {
    expect(f.service.ctx.monitor.ticks).toBe(0);
    const s = await c.get(`${C}/Sensors/PSU1InputPower`, f.admin);
    expect(s.status).toBe(200);
    expect(s.json.Reading).toBeGreaterThan(0);
    expect(s.json.PeakReading).toBe(s.json.Reading);
    expect(s.json.PeakReadingTime).toBe(s.json.ReadingTime);
    const v = await c.get(`${C}/Sensors/BusVoltage`, f.admin);
    expect(v.json).not.toHaveProperty('PeakReading');
  });

  it('keeps the higher of the monitored peak and the reading', async () => {
    await f.advance(1000);
    expect(f.service.ctx.monitor.ticks).toBeGreaterThan(0);
    const s = await c.get(`${C}/Sensors/ShelfInputPower`, f.admin);
    const peak = f.service.ctx.monitor.peak(`${C}/Sensors/ShelfInputPower`)!;
    expect(s.json.PeakReading).toBeGreaterThanOrEqual(s.json.Reading);
    expect(s.json.PeakReading).toBeGreaterThanOrEqual(Math.round(peak.value * 1000) / 1000);
  });

  it('names the shelf maker from the modules that report one; PSUs name theirs over PMBus MFR_ID', async () => {
    const bbu = f.gateway.bbu(f.service.ctx.model.shelves()[0]!.bbus[0]!.unit)!;
    const maker = bbu.identity.manufacturer;
    expect(maker).toBeTruthy();
    for (const uri of [C, '/redfish/v1/PowerEquipment/PowerShelves/1']) {
      const r = await c.get(uri, f.admin);
      expect(r.json.Manufacturer).toBe(maker);
      // No register holds the shelf's own serial or part number.
      expect(r.json.SerialNumber).toBeNull();
      expect(r.json.PartNumber).toBeNull();
    }
    const psu = await c.get(`${C}/PowerSubsystem/PowerSupplies/PSU1`, f.admin);
    // The PSU Modbus maps carry no manufacturer: the driver reads PMBus MFR_ID.
    expect(psu.json.Manufacturer).toBe(maker);
    expect(psu.json.SerialNumber).toMatch(/\S/);
    expect(psu.json.PartNumber).toMatch(/\S/);
    const fw = await c.get('/redfish/v1/UpdateService/FirmwareInventory/PowerShelf1_BBU1', f.admin);
    expect(fw.json.Manufacturer).toBe(maker);
  });

  it('gives the certificate serial as colon-separated hex pairs', async () => {
    const r = await c.get(`${MGR}/NetworkProtocol/HTTPS/Certificates/1`, f.admin);
    expect(r.json.SerialNumber).toMatch(/^([0-9A-F]{2}:)*[0-9A-F]{2}$/);
    expect(r.json.SerialNumber.replaceAll(':', '')).toMatch(/^0?[0-9A-F]+$/);
  });

  it('reports SpeedMbps (null when the OS does not know it) and NameServers on each interface', async () => {
    const list = await c.get(`${MGR}/EthernetInterfaces`, f.admin);
    for (const m of list.json.Members as { '@odata.id': string }[]) {
      const e = await c.get(m['@odata.id'], f.admin);
      expect(e.json).toHaveProperty('SpeedMbps');
      expect(e.json.SpeedMbps === null || Number.isInteger(e.json.SpeedMbps)).toBe(true);
      expect(Array.isArray(e.json.NameServers)).toBe(true);
    }
  });
});
