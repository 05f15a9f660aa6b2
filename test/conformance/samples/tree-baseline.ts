/** The OCP Service Baseline part of the sample tree: accounts, sessions, manager, services. */
import { CH, MGR, V1, collection, link, resource, status, type Put } from './tree-build.js';

export function putBaseline(put: Put): void {
  // --- Service baseline ---------------------------------------------------------------------
  put(
    resource(`${V1}/AccountService`, '#AccountService.v1_18_1.AccountService', 'Accounts', {
      Accounts: link(`${V1}/AccountService/Accounts`),
      Roles: link(`${V1}/AccountService/Roles`),
      SupportedAccountTypes: ['Redfish'],
    }),
  );
  put(
    collection(`${V1}/AccountService/Accounts`, 'ManagerAccountCollection', 'Accounts', [
      `${V1}/AccountService/Accounts/admin`,
    ]),
  );
  put(
    resource(
      `${V1}/AccountService/Accounts/admin`,
      '#ManagerAccount.v1_14_1.ManagerAccount',
      'admin',
      {
        AccountTypes: ['Redfish'],
        Enabled: true,
        Password: null,
        RoleId: 'Administrator',
        UserName: 'admin',
        Links: { Role: link(`${V1}/AccountService/Roles/Administrator`) },
      },
    ),
  );
  put(
    collection(`${V1}/AccountService/Roles`, 'RoleCollection', 'Roles', [
      `${V1}/AccountService/Roles/Administrator`,
    ]),
  );
  put(
    resource(`${V1}/AccountService/Roles/Administrator`, '#Role.v1_3_3.Role', 'Administrator', {
      RoleId: 'Administrator',
      IsPredefined: true,
      AssignedPrivileges: [
        'Login',
        'ConfigureManager',
        'ConfigureUsers',
        'ConfigureSelf',
        'ConfigureComponents',
      ],
    }),
  );
  put(
    resource(`${V1}/SessionService`, '#SessionService.v1_2_0.SessionService', 'Sessions', {
      ServiceEnabled: true,
      SessionTimeout: 1800,
      Sessions: link(`${V1}/SessionService/Sessions`),
    }),
  );
  put(
    collection(`${V1}/SessionService/Sessions`, 'SessionCollection', 'Sessions', [
      `${V1}/SessionService/Sessions/s1`,
    ]),
  );
  put(
    resource(`${V1}/SessionService/Sessions/s1`, '#Session.v1_8_0.Session', 'Session', {
      UserName: 'admin',
      Password: null,
    }),
  );
  put(
    resource(
      `${V1}/CertificateService`,
      '#CertificateService.v1_2_1.CertificateService',
      'Certificates',
      {
        CertificateLocations: link(`${V1}/CertificateService/CertificateLocations`),
        Actions: {
          '#CertificateService.GenerateCSR': {
            target: `${V1}/CertificateService/Actions/CertificateService.GenerateCSR`,
            '@Redfish.ActionInfo': `${V1}/CertificateService/GenerateCSRActionInfo`,
          },
          '#CertificateService.ReplaceCertificate': {
            target: `${V1}/CertificateService/Actions/CertificateService.ReplaceCertificate`,
          },
        },
      },
    ),
  );
  put(
    resource(
      `${V1}/CertificateService/CertificateLocations`,
      '#CertificateLocations.v1_0_4.CertificateLocations',
      'Locations',
      {
        Links: { Certificates: [link(`${MGR}/NetworkProtocol/HTTPS/Certificates/1`)] },
      },
    ),
  );
  put(
    resource(
      `${V1}/CertificateService/GenerateCSRActionInfo`,
      '#ActionInfo.v1_5_0.ActionInfo',
      'GenerateCSR',
      {
        Parameters: [{ Name: 'CommonName', Required: true, DataType: 'String' }],
      },
    ),
  );
  put(
    resource(`${V1}/EventService`, '#EventService.v1_12_0.EventService', 'Events', {
      ServiceEnabled: true,
      ExcludeMessageId: true,
      ExcludeRegistryPrefix: true,
      IncludeOriginOfConditionSupported: true,
      SubordinateResourcesSupported: true,
      RegistryPrefixes: ['Base', 'Power', 'ResourceEvent'],
      ResourceTypes: ['PowerSupply', 'Battery', 'Chassis'],
      ServerSentEventUri: `${V1}/EventService/SSE`,
      Subscriptions: link(`${V1}/EventService/Subscriptions`),
    }),
  );
  put(
    collection(
      `${V1}/EventService/Subscriptions`,
      'EventDestinationCollection',
      'Subscriptions',
      [],
    ),
  );
  put(
    resource(`${V1}/UpdateService`, '#UpdateService.v1_17_0.UpdateService', 'Update', {
      ServiceEnabled: false,
      FirmwareInventory: link(`${V1}/UpdateService/FirmwareInventory`),
    }),
  );
  put(
    collection(`${V1}/UpdateService/FirmwareInventory`, 'SoftwareInventoryCollection', 'Firmware', [
      `${V1}/UpdateService/FirmwareInventory/gateway`,
    ]),
  );
  put(
    resource(
      `${V1}/UpdateService/FirmwareInventory/gateway`,
      '#SoftwareInventory.v1_13_0.SoftwareInventory',
      'gateway',
      {
        Manufacturer: 'orv3-gateway project',
        Version: '0.1.0',
        Updateable: false,
        RelatedItem: [link(MGR)],
      },
    ),
  );
  put(collection(`${V1}/Managers`, 'ManagerCollection', 'Managers', [MGR]));
  put(
    resource(MGR, '#Manager.v1_24_0.Manager', 'Gateway', {
      ManagerType: 'RackManager',
      UUID: '1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5',
      FirmwareVersion: '0.1.0',
      DateTime: '2025-01-01T00:00:00Z',
      DateTimeLocalOffset: '+00:00',
      Status: status,
      NetworkProtocol: link(`${MGR}/NetworkProtocol`),
      EthernetInterfaces: link(`${MGR}/EthernetInterfaces`),
      LogServices: link(`${MGR}/LogServices`),
      Links: { ManagerForChassis: [link(CH)] },
      Actions: {
        '#Manager.Reset': {
          target: `${MGR}/Actions/Manager.Reset`,
          'ResetType@Redfish.AllowableValues': ['ForceRestart'],
        },
      },
    }),
  );
  put(
    resource(
      `${MGR}/NetworkProtocol`,
      '#ManagerNetworkProtocol.v1_12_0.ManagerNetworkProtocol',
      'Protocols',
      {
        HostName: 'gw',
        FQDN: 'gw.rack.local',
        HTTPS: {
          ProtocolEnabled: true,
          Port: 443,
          Certificates: link(`${MGR}/NetworkProtocol/HTTPS/Certificates`),
        },
      },
    ),
  );
  put(
    collection(`${MGR}/NetworkProtocol/HTTPS/Certificates`, 'CertificateCollection', 'HTTPS', [
      `${MGR}/NetworkProtocol/HTTPS/Certificates/1`,
    ]),
  );
  put(
    resource(
      `${MGR}/NetworkProtocol/HTTPS/Certificates/1`,
      '#Certificate.v1_11_0.Certificate',
      'HTTPS',
      {
        CertificateString: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        CertificateType: 'PEM',
      },
    ),
  );
  put(
    collection(`${MGR}/EthernetInterfaces`, 'EthernetInterfaceCollection', 'Interfaces', [
      `${MGR}/EthernetInterfaces/eth0`,
    ]),
  );
  put(
    resource(
      `${MGR}/EthernetInterfaces/eth0`,
      '#EthernetInterface.v1_12_4.EthernetInterface',
      'eth0',
      {
        MACAddress: '02:00:00:00:00:01',
        SpeedMbps: 1000,
        InterfaceEnabled: true,
        LinkStatus: 'LinkUp',
        Status: status,
        HostName: 'gw',
        FQDN: 'gw.rack.local',
        NameServers: ['10.0.0.1'],
        IPv4Addresses: [
          {
            Address: '10.0.0.2',
            AddressOrigin: 'Static',
            Gateway: '10.0.0.1',
            SubnetMask: '255.255.255.0',
          },
        ],
      },
    ),
  );
  put(
    collection(`${MGR}/LogServices`, 'LogServiceCollection', 'Logs', [
      `${MGR}/LogServices/Journal`,
    ]),
  );
  put(
    resource(`${MGR}/LogServices/Journal`, '#LogService.v1_9_0.LogService', 'Control journal', {
      DateTime: '2025-01-01T00:00:00Z',
      LogEntryType: 'Event',
      Entries: link(`${MGR}/LogServices/Journal/Entries`),
    }),
  );
  put(
    collection(`${MGR}/LogServices/Journal/Entries`, 'LogEntryCollection', 'Entries', [
      `${MGR}/LogServices/Journal/Entries/1`,
    ]),
  );
  put(
    resource(`${MGR}/LogServices/Journal/Entries/1`, '#LogEntry.v1_21_0.LogEntry', 'Entry 1', {
      Created: '2025-01-01T00:00:00Z',
      EntryType: 'Event',
      MessageId: 'Power.1.2.PowerSupplyFailed',
      MessageArgs: ['PSU 0'],
      Message: 'Power supply PSU 0 has failed.',
      Severity: 'Critical',
    }),
  );
}
