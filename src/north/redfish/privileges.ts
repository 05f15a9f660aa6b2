/**
 * Authorisation per the DMTF Redfish privilege registry (Redfish_1.x_PrivilegeRegistry, the
 * OperationMap of each entity we serve, transcribed from DMTF's registry as bmcweb generates
 * it; `../shared/redfish` holds only the PrivilegeRegistry schema, not the mapping file).
 * A privilege set is an OR of ANDs: `[['ConfigureManager'], ['ConfigureSelf']]` means either.
 * A set that needs ConfigureSelf only grants access to the caller's own resource.
 */

export const PRIVILEGES = [
  'Login',
  'ConfigureManager',
  'ConfigureUsers',
  'ConfigureComponents',
  'ConfigureSelf',
] as const;
export type Privilege = (typeof PRIVILEGES)[number];

/** The predefined roles (DSP0266 §"Roles"), with their AssignedPrivileges. */
export const ROLES = {
  Administrator: PRIVILEGES,
  Operator: ['Login', 'ConfigureComponents', 'ConfigureSelf'],
  ReadOnly: ['Login', 'ConfigureSelf'],
} as const satisfies Record<string, readonly Privilege[]>;
export type RoleId = keyof typeof ROLES;
export const ROLE_IDS = Object.keys(ROLES) as RoleId[];
export const isRoleId = (s: unknown): s is RoleId =>
  typeof s === 'string' && Object.hasOwn(ROLES, s);

export type Method = 'GET' | 'HEAD' | 'PATCH' | 'PUT' | 'DELETE' | 'POST';
export type PrivilegeSet = readonly (readonly Privilege[])[];

const LOGIN: PrivilegeSet = [['Login']];
const CC: PrivilegeSet = [['ConfigureComponents']];
const CU: PrivilegeSet = [['ConfigureUsers']];
const CM: PrivilegeSet = [['ConfigureManager']];
const CM_OR_CC: PrivilegeSet = [['ConfigureManager'], ['ConfigureComponents']];
const CM_OR_SELF: PrivilegeSet = [['ConfigureManager'], ['ConfigureSelf']];
const CM_OR_CU_OR_SELF: PrivilegeSet = [
  ['ConfigureManager'],
  ['ConfigureUsers'],
  ['ConfigureSelf'],
];
const CU_OR_SELF: PrivilegeSet = [['ConfigureUsers'], ['ConfigureSelf']];
const LOGIN_OR_NOAUTH: PrivilegeSet = [['Login'], []];

type OperationMap = Readonly<Record<Method, PrivilegeSet>>;
/** GET/HEAD with Login, every write with `w`: the registry's most common shape. */
const rw = (w: PrivilegeSet): OperationMap => ({
  GET: LOGIN,
  HEAD: LOGIN,
  PATCH: w,
  PUT: w,
  DELETE: w,
  POST: w,
});

/** The registry's OperationMap for each entity type this service serves. */
export const OPERATION_MAP = {
  AccountService: rw(CU),
  ActionInfo: rw(CM),
  Battery: rw(CM),
  BatteryCollection: rw(CM),
  BatteryMetrics: rw(CM),
  Certificate: { ...rw(CM), GET: CM, HEAD: CM },
  CertificateCollection: { ...rw(CM), GET: CM, HEAD: CM },
  CertificateLocations: { ...rw(CM), GET: CM, HEAD: CM },
  CertificateService: rw(CM),
  Chassis: rw(CC),
  ChassisCollection: rw(CC),
  Circuit: rw(CC),
  CircuitCollection: rw(CC),
  Control: rw(CM),
  ControlCollection: rw(CM),
  EnvironmentMetrics: rw(CM),
  EthernetInterface: rw(CC),
  EthernetInterfaceCollection: rw(CC),
  EventDestination: { ...rw(CM_OR_SELF) },
  EventDestinationCollection: rw(CM_OR_CC),
  EventService: rw(CM),
  LogEntry: rw(CM),
  LogEntryCollection: rw(CM),
  LogService: rw(CM),
  LogServiceCollection: rw(CM),
  Manager: rw(CM),
  // PATCH: the registry's PropertyOverrides let ConfigureSelf change one's own Password.
  ManagerAccount: { ...rw(CU), GET: CM_OR_CU_OR_SELF, PATCH: CU_OR_SELF },
  ManagerAccountCollection: rw(CU),
  ManagerCollection: rw(CM),
  ManagerNetworkProtocol: rw(CM),
  MessageRegistryFile: rw(CM),
  MessageRegistryFileCollection: rw(CM),
  MetricDefinition: rw(CM),
  MetricDefinitionCollection: rw(CM),
  MetricReport: rw(CM),
  MetricReportCollection: rw(CM),
  MetricReportDefinition: rw(CM),
  MetricReportDefinitionCollection: rw(CM),
  PowerDistribution: rw(CC),
  PowerDistributionCollection: rw(CC),
  PowerDistributionMetrics: rw(CC),
  PowerEquipment: rw(CM),
  PowerSubsystem: rw(CM),
  PowerSupply: rw(CM),
  PowerSupplyCollection: rw(CM),
  PowerSupplyMetrics: rw(CM),
  Role: rw(CM),
  RoleCollection: rw(CM),
  Sensor: rw(CC),
  SensorCollection: rw(CC),
  ServiceRoot: { ...rw(CM), GET: LOGIN_OR_NOAUTH, HEAD: LOGIN_OR_NOAUTH },
  Session: { ...rw(CM), DELETE: CM_OR_SELF },
  SessionCollection: { ...rw(CM), POST: LOGIN },
  SessionService: rw(CM),
  SoftwareInventory: rw(CC),
  SoftwareInventoryCollection: rw(CC),
  TelemetryService: rw(CM),
  ThermalMetrics: rw(CM),
  ThermalSubsystem: rw(CM),
  UpdateService: rw(CC),
} as const satisfies Record<string, OperationMap>;
export type EntityType = keyof typeof OPERATION_MAP;

export type Decision = 'allow' | 'allow-if-self' | 'deny';

/**
 * What the registry says about `method` on `entity` for someone holding `held`: allowed,
 * allowed only on their own resource (the satisfied set needs ConfigureSelf), or denied.
 */
export function authorize(
  entity: EntityType,
  method: Method,
  held: ReadonlySet<Privilege>,
): Decision {
  let self = false;
  const sets: PrivilegeSet = OPERATION_MAP[entity][method];
  for (const all of sets) {
    if (!all.every((p) => held.has(p))) continue;
    if (!all.includes('ConfigureSelf')) return 'allow';
    self = true;
  }
  return self ? 'allow-if-self' : 'deny';
}

export const privilegesOf = (role: RoleId): ReadonlySet<Privilege> => new Set(ROLES[role]);
