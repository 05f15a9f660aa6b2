/**
 * The exact schema version of every type this service serves: one table, so payloads,
 * `$metadata` and the docs agree, and each version exists in `../shared/redfish/json-schema`.
 */
export const SCHEMA_VERSIONS = {
  AccountService: 'v1_18_1',
  ActionInfo: 'v1_5_0',
  Battery: 'v1_5_0',
  BatteryMetrics: 'v1_1_0',
  Certificate: 'v1_11_0',
  CertificateLocations: 'v1_0_4',
  CertificateService: 'v1_2_1',
  Chassis: 'v1_28_0',
  Circuit: 'v1_9_0',
  Control: 'v1_7_0',
  EnvironmentMetrics: 'v1_5_0',
  EthernetInterface: 'v1_12_4',
  Event: 'v1_13_0',
  EventDestination: 'v1_16_0',
  EventService: 'v1_12_0',
  LogEntry: 'v1_21_0',
  LogService: 'v1_9_0',
  Manager: 'v1_24_0',
  ManagerAccount: 'v1_14_1',
  ManagerNetworkProtocol: 'v1_12_0',
  MessageRegistryFile: 'v1_1_5',
  MetricReport: 'v1_5_2',
  MetricReportDefinition: 'v1_4_7',
  PowerDistribution: 'v1_6_0',
  PowerDistributionMetrics: 'v1_4_0',
  PowerEquipment: 'v1_2_3',
  PowerSubsystem: 'v1_1_3',
  PowerSupply: 'v1_6_0',
  PowerSupplyMetrics: 'v1_2_0',
  Role: 'v1_3_3',
  Sensor: 'v1_12_0',
  ServiceRoot: 'v1_20_0',
  Session: 'v1_8_0',
  SessionService: 'v1_2_0',
  SoftwareInventory: 'v1_13_0',
  TelemetryService: 'v1_4_1',
  ThermalMetrics: 'v1_3_2',
  ThermalSubsystem: 'v1_5_0',
  UpdateService: 'v1_17_0',
} as const;
export type VersionedType = keyof typeof SCHEMA_VERSIONS;

/** Collections (unversioned schemas). */
export const COLLECTIONS = [
  'BatteryCollection',
  'CertificateCollection',
  'ChassisCollection',
  'CircuitCollection',
  'ControlCollection',
  'EthernetInterfaceCollection',
  'EventDestinationCollection',
  'LogEntryCollection',
  'LogServiceCollection',
  'ManagerAccountCollection',
  'ManagerCollection',
  'MessageRegistryFileCollection',
  'MetricReportCollection',
  'MetricReportDefinitionCollection',
  'PowerDistributionCollection',
  'PowerSupplyCollection',
  'RoleCollection',
  'SensorCollection',
  'SessionCollection',
  'SoftwareInventoryCollection',
] as const;
export type CollectionType = (typeof COLLECTIONS)[number];

/** `#Chassis.v1_28_0.Chassis` */
export const odataType = (t: VersionedType): string => `#${t}.${SCHEMA_VERSIONS[t]}.${t}`;
export const collectionType = (t: CollectionType): string => `#${t}.${t}`;
