/**
 * Per-client rate limit (429 with Retry-After and a Redfish body) on a lockstep shelf, where
 * time does not move between requests; plain HTTP only on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedfishService } from '../../../src/north/redfish/index.js';
import { isOrv3Error, ErrorCode } from '../../../src/errors.js';
import { startRedfishFixture, type RedfishFixture } from '../../support/redfish-fixture.js';
import { SHARED_PRESENT } from '../../support/sim.js';
import { Client, messageIds } from './client.js';

if (!SHARED_PRESENT) console.warn('redfish limits: ../shared absent (DMTF registries); skipped');

describe.skipIf(!SHARED_PRESENT)('Redfish limits', () => {
  let f: RedfishFixture;
  let c: Client;
  beforeAll(async () => {
    f = await startRedfishFixture({
      insecureHttp: true,
      redfish: { rateLimit: { ratePerS: 1, burst: 5 } },
    });
    c = new Client(f);
  });
  afterAll(async () => {
    c.close();
    await f.close();
  });

  it('429 with Retry-After once a client spends its burst; time refills it', async () => {
    for (let i = 0; i < 5; i++) expect((await c.get('/redfish/v1')).status).toBe(200);
    const r = await c.get('/redfish/v1');
    expect(r.status).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(messageIds(r)).toEqual(['Base.ServiceTemporarilyUnavailable']);
    await f.advance(2000);
    expect((await c.get('/redfish/v1')).status).toBe(200);
  });

  it('refuses plain HTTP on a non-loopback address', async () => {
    try {
      await startRedfishService({
        gateway: f.gateway,
        host: '0.0.0.0',
        port: 0,
        insecureHttp: true,
      });
      expect.unreachable();
    } catch (e) {
      expect(isOrv3Error(e, ErrorCode.RedfishConfig)).toBe(true);
    }
  });
});
