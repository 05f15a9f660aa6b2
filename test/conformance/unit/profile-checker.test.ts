import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleTree, type Payload } from '../samples/tree.js';
import { POWER_SHELF_PROFILE, PROFILES_PRESENT } from '../support/paths.js';
import { checkProfiles, formatFinding, type ProfileReport } from '../support/profile-checker.js';
import { loadProfiles } from '../support/profile-loader.js';
import type { Profile } from '../support/profile-types.js';

const CH = '/redfish/v1/Chassis/shelf0';
const PS = '/redfish/v1/PowerEquipment/PowerShelves/shelf0';
const MGR = '/redfish/v1/Managers/gw';

/** Gaps as `resource uri path: message` lines, the profile name left out. */
const gapsOf = (r: ProfileReport): string[] =>
  r.gaps.map((g) => formatFinding(g).replace(/^\[[^\]]+\] /, ''));

if (!PROFILES_PRESENT)
  console.warn(`redfish conformance: ${POWER_SHELF_PROFILE} absent: profile tests skipped`);

describe.skipIf(!PROFILES_PRESENT)('profile checker on the OCP power shelf profiles', () => {
  let profiles: Profile[];
  let tree: Map<string, Payload>;
  const check = (edit: (t: Map<string, Payload>) => void): string[] => {
    const t = sampleTree();
    edit(t);
    return gapsOf(checkProfiles(profiles, t));
  };
  const get = (t: Map<string, Payload>, uri: string): Payload => t.get(uri)!;

  beforeAll(() => {
    profiles = loadProfiles(POWER_SHELF_PROFILE);
    tree = sampleTree();
  });

  it('follows RequiredProfiles to the service baseline', () => {
    expect(profiles.map((p) => p.name)).toEqual(['OCPPowerShelfManagement', 'OCPServiceBaseline']);
    expect(existsSync(profiles[1]!.file)).toBe(true);
  });

  it('finds no gap in the handwritten conformant tree, and counts what a GET cannot check', () => {
    const r = checkProfiles(profiles, tree);
    expect(gapsOf(r)).toEqual([]);
    expect(r.instancesChecked).toBeGreaterThan(25);
    expect(r.unchecked.WriteRequirement).toBeGreaterThan(10);
    expect(r.advisories.some((a) => a.message === 'recommended property absent')).toBe(true);
  });

  it('reports a missing mandatory property (no ReadRequirement = Mandatory)', () => {
    expect(check((t) => delete get(t, CH).ChassisType)).toEqual([
      `Chassis ${CH} ChassisType: missing mandatory property`,
    ]);
  });

  it('reports missing nested properties by path', () => {
    expect(check((t) => (get(t, PS).Location = { Placement: {} }))).toEqual([
      `PowerDistribution ${PS} Location/Placement/Rack: missing mandatory property`,
    ]);
    const eth = `${MGR}/EthernetInterfaces/eth0`;
    expect(check((t) => (get(t, eth).IPv4Addresses = [{ Address: '10.0.0.2' }]))).toEqual([
      `EthernetInterface ${eth} IPv4Addresses/0/AddressOrigin: missing mandatory property`,
      `EthernetInterface ${eth} IPv4Addresses/0/Gateway: missing mandatory property`,
      `EthernetInterface ${eth} IPv4Addresses/0/SubnetMask: missing mandatory property`,
    ]);
  });

  it('checks Comparison/Values', () => {
    expect(check((t) => (get(t, PS).EquipmentType = 'RackPDU'))).toEqual([
      `PowerDistribution ${PS} EquipmentType: "RackPDU" fails Equal ["PowerShelf"]`,
    ]);
  });

  it('evaluates conditional requirements on the object that holds the property', () => {
    const power = `${CH}/Sensors/ShelfPower`;
    expect(check((t) => delete get(t, power).ElectricalContext)).toEqual([
      `Sensor ${power} ElectricalContext: missing mandatory property`,
    ]);
    // A temperature sensor has no electrical context to give: not required there.
    expect(check((t) => delete get(t, `${CH}/Sensors/Inlet`).ElectricalContext)).toEqual([]);
    const mains = `${PS}/Mains/AC1`;
    // "Provide CurrentAmps or PolyPhaseCurrentAmps": each is Mandatory when the other is absent.
    expect(check((t) => delete get(t, mains).CurrentAmps)).toEqual([
      `Circuit (AC Mains) ${mains} CurrentAmps: missing mandatory property`,
      `Circuit (AC Mains) ${mains} PolyPhaseCurrentAmps: missing mandatory property`,
    ]);
    // ... unless the other form (PolyPhaseCurrentAmps) is given.
    expect(
      check((t) => {
        delete get(t, mains).CurrentAmps;
        get(t, mains).PolyPhaseCurrentAmps = { Line1: { Reading: 96 } };
      }),
    ).toEqual([]);
  });

  it('requires a Supported property on at least one instance', () => {
    expect(check((t) => delete get(t, `${CH}/Sensors/ShelfPower`).PeakReading)).toEqual([
      'Sensor PeakReading: Supported: no instance reports it',
    ]);
  });

  it('takes a Supported property that is only ever null as an advisory, not a gap', () => {
    const t = sampleTree();
    get(t, `${CH}/Sensors/ShelfPower`).PeakReading = null;
    const r = checkProfiles(profiles, t);
    expect(gapsOf(r)).toEqual([]);
    expect(r.advisories.map(formatFinding)).toContain(
      '[OCP Power Shelf Management 1.0.0] Sensor PeakReading: Supported: every instance reports it as null',
    );
  });

  it('matches use cases by key property and URI, and requires mandatory ones', () => {
    expect(check((t) => (get(t, `${PS}/Mains/AC1`).CircuitType = 'Feeder'))).toEqual([
      `Circuit (AC Mains): no Circuit resource at ${'/redfish/v1/PowerEquipment/PowerShelves/{PowerDistributionId}/Mains/{CircuitId}'}`,
    ]);
  });

  it('requires mandatory resources to exist somewhere in the tree', () => {
    expect(check((t) => t.delete('/redfish/v1/SessionService/Sessions/s1'))).toEqual([
      'Session: no Session resource',
    ]);
  });

  it('checks the Protocol section against the service root', () => {
    expect(
      check((t) => {
        const root = get(t, '/redfish/v1');
        root.RedfishVersion = '1.5.0';
        (root.ProtocolFeaturesSupported as Payload).OnlyMemberQuery = false;
      }),
    ).toEqual([
      'Protocol /redfish/v1 RedfishVersion: RedfishVersion "1.5.0" below MinVersion 1.6',
      'Protocol /redfish/v1 ProtocolFeaturesSupported (OnlyQuery): Mandatory OnlyQuery not declared in ProtocolFeaturesSupported',
    ]);
  });

  it('checks actions, their ActionInfo and advertised parameter values', () => {
    expect(check((t) => delete (get(t, MGR).Actions as Payload)['#Manager.Reset'])).toEqual([
      `Manager ${MGR} Actions/#Manager.Reset: missing mandatory action`,
    ]);
    expect(
      check((t) => {
        ((get(t, MGR).Actions as Payload)['#Manager.Reset'] as Payload)[
          'ResetType@Redfish.AllowableValues'
        ] = ['GracefulRestart'];
      }),
    ).toEqual([
      `Manager ${MGR} Actions/#Manager.Reset: ResetType AllowableValues lack ForceRestart`,
    ]);
    const cs = '/redfish/v1/CertificateService';
    expect(
      check(
        (t) =>
          delete ((get(t, cs).Actions as Payload)['#CertificateService.GenerateCSR'] as Payload)[
            '@Redfish.ActionInfo'
          ],
      ),
    ).toEqual([
      `CertificateService ${cs} Actions/#CertificateService.GenerateCSR: missing mandatory @Redfish.ActionInfo`,
    ]);
  });
});

describe('profile checker on handwritten profiles', () => {
  const profile = (resources: Profile['json']['Resources']): Profile[] => [
    {
      name: 'T',
      file: 't.json',
      json: { ProfileName: 'T', ProfileVersion: '1.0.0', Resources: resources },
    },
  ];
  const tree = new Map<string, Payload>([
    [
      '/redfish/v1/Chassis/a',
      {
        '@odata.type': '#Chassis.v1_28_0.Chassis',
        Links: { ManagedBy: [{ '@odata.id': '/redfish/v1/Managers/m' }] },
        Readings: [1],
      },
    ],
    ['/redfish/v1/Managers/m', { '@odata.type': '#Manager.v1_24_0.Manager', ManagerType: 'BMC' }],
  ]);

  it('checks MinCount on arrays and LinkToResource on links', () => {
    const r = checkProfiles(
      profile({
        Chassis: {
          PropertyRequirements: {
            Readings: { MinCount: 2 },
            Links: {
              PropertyRequirements: {
                ManagedBy: { Comparison: 'LinkToResource', Values: ['Manager'] },
              },
            },
          },
        },
      }),
      tree,
    );
    expect(gapsOf(r)).toEqual(['Chassis /redfish/v1/Chassis/a Readings: 1 entries, MinCount 2']);
    const wrongTarget = checkProfiles(
      profile({
        Chassis: {
          PropertyRequirements: {
            Links: {
              PropertyRequirements: {
                ManagedBy: { Comparison: 'LinkToResource', Values: ['Chassis'] },
              },
            },
          },
        },
      }),
      tree,
    );
    expect(gapsOf(wrongTarget)).toHaveLength(1);
  });

  it('ignores IfImplemented and Recommended resources that are absent, and checks them when present', () => {
    const r = checkProfiles(
      profile({
        Battery: {
          ReadRequirement: 'IfImplemented',
          PropertyRequirements: { StateOfHealthPercent: {} },
        },
        Manager: {
          ReadRequirement: 'Recommended',
          PropertyRequirements: { ManagerType: { Comparison: 'AnyOf', Values: ['RackManager'] } },
        },
      }),
      tree,
    );
    expect(gapsOf(r)).toEqual([
      'Manager /redfish/v1/Managers/m ManagerType: "BMC" fails AnyOf ["RackManager"]',
    ]);
  });

  it('only requires URIs-restricted resources at those URIs', () => {
    const r = checkProfiles(
      profile({ Chassis: { URIs: ['/redfish/v1/Chassis/{ChassisId}/Sub'] } }),
      tree,
    );
    expect(gapsOf(r)).toEqual([
      'Chassis: no Chassis resource at /redfish/v1/Chassis/{ChassisId}/Sub',
    ]);
  });
});
