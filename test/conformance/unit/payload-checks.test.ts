import { describe, expect, it } from 'vitest';
import { checkActions, checkIdentity, linksOf } from '../support/payload-checks.js';

const PSU = '/redfish/v1/Chassis/1/PowerSubsystem/PowerSupplies/0';

describe('identity checks', () => {
  it('passes when @odata.id is the URI and Id its last segment', () => {
    expect(checkIdentity(PSU, { '@odata.id': PSU, Id: '0' })).toEqual([]);
  });

  it('reports @odata.id and Id that do not match the URI fetched', () => {
    expect(checkIdentity(PSU, { '@odata.id': `${PSU}/`, Id: 'PSU0' })).toEqual([
      { uri: PSU, check: 'odata.id', message: `@odata.id is "${PSU}/", fetched at ${PSU}` },
      { uri: PSU, check: 'Id', message: 'Id is "PSU0", last URI segment is "0"' },
    ]);
  });

  it('exempts the service root (Id RootService) and payloads without Id (collections)', () => {
    expect(checkIdentity('/redfish/v1', { '@odata.id': '/redfish/v1', Id: 'RootService' })).toEqual(
      [],
    );
    expect(checkIdentity('/redfish/v1/Chassis', { '@odata.id': '/redfish/v1/Chassis' })).toEqual(
      [],
    );
  });

  it('allows exactly RootService at the service root, and RootService nowhere else', () => {
    const root = '/redfish/v1';
    for (const Id of ['v1', 'ServiceRoot', 'rootservice']) {
      expect(checkIdentity(root, { '@odata.id': root, Id })).toEqual([
        {
          uri: root,
          check: 'Id',
          message: `Id is "${Id}", the service root's Id is "RootService"`,
        },
      ]);
    }
    expect(checkIdentity(PSU, { '@odata.id': PSU, Id: 'RootService' })).toEqual([
      { uri: PSU, check: 'Id', message: 'Id is "RootService", last URI segment is "0"' },
    ]);
  });

  it('decodes the segment (an Id with a space is served percent-encoded)', () => {
    const uri = '/redfish/v1/AccountService/Roles/Rack%20Admin';
    expect(checkIdentity(uri, { '@odata.id': uri, Id: 'Rack Admin' })).toEqual([]);
  });
});

describe('action target checks', () => {
  it('accepts <uri>/Actions/<Schema>.<Action>, absolute or not, and OEM actions under /Actions/Oem/', () => {
    const p = {
      '@odata.id': PSU,
      Actions: {
        '#PowerSupply.Reset': { target: `${PSU}/Actions/PowerSupply.Reset` },
        Oem: {
          '#Contoso.Calibrate': { target: `https://10.0.0.1${PSU}/Actions/Oem/Contoso.Calibrate` },
        },
      },
    };
    expect(checkActions(PSU, p)).toEqual([]);
  });

  it('reports the public mockup defect: a target without /Actions/', () => {
    const p = {
      '@odata.id': PSU,
      Actions: { '#PowerSupply.Reset': { target: `${PSU}/PowerSupply.Reset` } },
    };
    expect(checkActions(PSU, p)).toEqual([
      {
        uri: PSU,
        check: 'Actions',
        message: `#PowerSupply.Reset target is ${PSU}/PowerSupply.Reset, want ${PSU}/Actions/PowerSupply.Reset`,
      },
    ]);
  });

  it('reports a missing target and checks nested Actions against their own object', () => {
    const p = {
      '@odata.id': '/redfish/v1/Chassis/1/Controls',
      Members: [
        {
          '@odata.id': '/redfish/v1/Chassis/1/Controls/Cap',
          Actions: {
            '#Control.ResetToDefaults': {
              target: '/redfish/v1/Chassis/1/Controls/Actions/Control.ResetToDefaults',
            },
          },
        },
      ],
      Actions: { '#Foo.Bar': {} },
    };
    expect(checkActions('/redfish/v1/Chassis/1/Controls', p).map((i) => i.message)).toEqual([
      '#Control.ResetToDefaults target is /redfish/v1/Chassis/1/Controls/Actions/Control.ResetToDefaults, want /redfish/v1/Chassis/1/Controls/Cap/Actions/Control.ResetToDefaults',
      '#Foo.Bar has no target',
    ]);
  });
});

describe('links', () => {
  it('collects every @odata.id and ActionInfo under /redfish/v1, Members apart, fragments dropped', () => {
    const p = {
      '@odata.id': '/redfish/v1/Chassis',
      Members: [{ '@odata.id': '/redfish/v1/Chassis/1' }, { '@odata.id': '/redfish/v1/Chassis/2' }],
      Links: {
        ManagedBy: [{ '@odata.id': '/redfish/v1/Managers/gw' }],
        Self: { '@odata.id': '/redfish/v1/Chassis' },
      },
      Deep: { Deeper: { '@odata.id': '/redfish/v1/Chassis/1/Power#/PowerSupplies/0' } },
      Elsewhere: { '@odata.id': 'https://other.example/redfish/v1/Chassis/9' },
      Actions: { '#A.B': { target: '/x', '@Redfish.ActionInfo': '/redfish/v1/Chassis/BInfo' } },
      ServerSentEventUri: '/redfish/v1/EventService/SSE',
    };
    expect(linksOf('/redfish/v1/Chassis', p)).toEqual({
      links: [
        '/redfish/v1/Managers/gw',
        '/redfish/v1/Chassis/1/Power',
        '/redfish/v1/Chassis/BInfo',
      ],
      members: ['/redfish/v1/Chassis/1', '/redfish/v1/Chassis/2'],
    });
  });
});
