import { describe, expect, it } from 'vitest';
import { authorize, privilegesOf, ROLES } from '../../../../src/north/redfish/privileges.js';

const admin = privilegesOf('Administrator');
const op = privilegesOf('Operator');
const ro = privilegesOf('ReadOnly');

describe('authorize (DMTF privilege registry)', () => {
  it('predefined roles carry the DSP0266 privileges', () => {
    expect([...ROLES.Operator].sort()).toEqual(['ConfigureComponents', 'ConfigureSelf', 'Login']);
    expect([...ROLES.ReadOnly].sort()).toEqual(['ConfigureSelf', 'Login']);
  });

  it('reads need Login; component writes ConfigureComponents; manager writes ConfigureManager', () => {
    expect(authorize('Sensor', 'GET', ro)).toBe('allow');
    expect(authorize('Chassis', 'PATCH', op)).toBe('allow');
    expect(authorize('Chassis', 'PATCH', ro)).toBe('deny');
    expect(authorize('Control', 'PATCH', op)).toBe('deny');
    expect(authorize('Control', 'PATCH', admin)).toBe('allow');
  });

  it("ConfigureSelf grants only the caller's own resource", () => {
    expect(authorize('ManagerAccount', 'GET', ro)).toBe('allow-if-self');
    expect(authorize('ManagerAccount', 'PATCH', op)).toBe('allow-if-self');
    expect(authorize('ManagerAccount', 'GET', admin)).toBe('allow');
    expect(authorize('Session', 'DELETE', ro)).toBe('allow-if-self');
    expect(authorize('ManagerAccountCollection', 'POST', op)).toBe('deny');
  });

  it('the service root needs nothing', () => {
    expect(authorize('ServiceRoot', 'GET', new Set())).toBe('allow');
  });
});
