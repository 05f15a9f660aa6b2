import { describe, expect, it } from 'vitest';
import { Router } from '../../../../src/north/redfish/http/router.js';
import type { RouteDef } from '../../../../src/north/redfish/http/route.js';

const r = (path: string): RouteDef => ({ path, entity: 'Chassis', get: () => ({}) });

describe('Router', () => {
  const router = new Router();
  const chassis = r('/redfish/v1/Chassis/{ChassisId}');
  const sensors = r('/redfish/v1/Chassis/{ChassisId}/Sensors');
  const sse = r('/redfish/v1/EventService/SSE');
  const sub = r('/redfish/v1/EventService/{X}');
  for (const x of [chassis, sensors, sse, sub]) router.add(x);

  it('captures and decodes segments', () => {
    const m = router.match('/redfish/v1/Chassis/Power%20Shelf');
    expect(m?.route).toBe(chassis);
    expect(m?.params).toEqual({ ChassisId: 'Power Shelf' });
    expect(router.match('/redfish/v1/Chassis/A/Sensors')?.route).toBe(sensors);
  });

  it('prefers literal segments over captures', () => {
    expect(router.match('/redfish/v1/EventService/SSE')?.route).toBe(sse);
    expect(router.match('/redfish/v1/EventService/Other')?.route).toBe(sub);
  });

  it('answers nothing for unknown paths and bad escapes', () => {
    expect(router.match('/redfish/v1/Nope')).toBeUndefined();
    expect(router.match('/redfish/v1/Chassis/%E0%A4%A')).toBeUndefined();
  });

  it('refuses a route registered twice', () => {
    expect(() => router.add(r('/redfish/v1/Chassis/{ChassisId}'))).toThrow(/twice/);
  });
});
