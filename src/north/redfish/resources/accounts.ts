/**
 * AccountService, Accounts and Roles. Privileges per the registry: ConfigureUsers manages
 * accounts; anyone may read and change their own account's password (ConfigureSelf). The last
 * enabled Administrator can be neither removed, disabled nor demoted.
 */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { httpError, notFound, outOfRange } from '../http/errors.js';
import { USER_NAME_RE, type Account } from '../auth/accounts.js';
import { isRoleId, ROLE_IDS, ROLES } from '../privileges.js';
import { odataType } from '../schemas.js';
import {
  checkPatch,
  collection,
  expectBoolean,
  expectNumber,
  expectString,
  link,
  noContent,
  ROOT,
  status,
} from './util.js';

const SERVICE = `${ROOT}/AccountService`;
const ACCOUNTS = `${SERVICE}/Accounts`;
const ROLES_URI = `${SERVICE}/Roles`;

function accountService(req: Req): JsonObject {
  const p = req.ctx.accounts.policy;
  return {
    '@odata.id': SERVICE,
    '@odata.type': odataType('AccountService'),
    Id: 'AccountService',
    Name: 'Account Service',
    ServiceEnabled: true,
    LocalAccountAuth: 'Enabled',
    HTTPBasicAuth: 'Enabled',
    SupportedAccountTypes: ['Redfish'],
    MinPasswordLength: p.minPasswordLength,
    MaxPasswordLength: p.maxPasswordLength,
    AccountLockoutThreshold: p.lockoutThreshold,
    AccountLockoutDuration: p.lockoutDurationS,
    AccountLockoutCounterResetAfter: p.lockoutCounterResetAfterS,
    AccountLockoutCounterResetEnabled: true,
    Accounts: link(ACCOUNTS),
    Roles: link(ROLES_URI),
    Status: status('Enabled', 'OK'),
  };
}

function patchAccountService(req: Req) {
  const w = [
    'AccountLockoutThreshold',
    'AccountLockoutDuration',
    'AccountLockoutCounterResetAfter',
  ];
  checkPatch(req.body!, w, [
    'Id',
    'Name',
    'ServiceEnabled',
    'MinPasswordLength',
    'MaxPasswordLength',
    'Accounts',
    'Roles',
    'SupportedAccountTypes',
  ]);
  const vals: Record<string, number> = {};
  for (const k of w) {
    if (req.body![k] === undefined) continue;
    const v = expectNumber(req.body![k], k);
    if (!Number.isInteger(v) || v < 0 || v > 86400) throw outOfRange(v, k);
    vals[k] = v;
  }
  const p = req.ctx.accounts.policy;
  if (vals['AccountLockoutThreshold'] !== undefined)
    p.lockoutThreshold = vals['AccountLockoutThreshold'];
  if (vals['AccountLockoutDuration'] !== undefined)
    p.lockoutDurationS = vals['AccountLockoutDuration'];
  if (vals['AccountLockoutCounterResetAfter'] !== undefined)
    p.lockoutCounterResetAfterS = vals['AccountLockoutCounterResetAfter'];
  return noContent;
}

function accountPayload(req: Req, a: Account): JsonObject {
  return {
    '@odata.id': `${ACCOUNTS}/${a.userName}`,
    '@odata.type': odataType('ManagerAccount'),
    Id: a.userName,
    Name: 'User Account',
    UserName: a.userName,
    RoleId: a.roleId,
    Enabled: a.enabled,
    Locked: req.ctx.accounts.isLocked(a),
    Password: null,
    PasswordChangeRequired: false,
    AccountTypes: ['Redfish'],
    Links: { Role: link(`${ROLES_URI}/${a.roleId}`) },
  };
}

function accountOf(req: Req): Account {
  const id = req.params['AccountId']!;
  const a = req.ctx.accounts.get(id);
  if (!a) throw notFound('ManagerAccount', id);
  return a;
}

const canManage = (req: Req): boolean => req.principal!.privileges.has('ConfigureUsers');

async function createAccount(req: Req) {
  const b = req.body ?? {};
  for (const k of Object.keys(b))
    if (!['UserName', 'Password', 'RoleId', 'Enabled', 'AccountTypes'].includes(k))
      throw httpError(400, 'Base.PropertyUnknown', k);
  for (const k of ['UserName', 'Password', 'RoleId'])
    if (b[k] === undefined) throw httpError(400, 'Base.CreateFailedMissingReqProperties', k);
  const user = expectString(b['UserName'], 'UserName', 32);
  const password = expectString(b['Password'], 'Password', 1024);
  const role = b['RoleId'];
  const enabled = b['Enabled'] === undefined ? true : expectBoolean(b['Enabled'], 'Enabled');
  if (!USER_NAME_RE.test(user))
    throw httpError(400, 'Base.PropertyValueFormatError', user, 'UserName');
  if (!isRoleId(role))
    throw httpError(400, 'Base.PropertyValueNotInList', JSON.stringify(role), 'RoleId');
  const { accounts } = req.ctx;
  if (accounts.get(user))
    throw httpError(409, 'Base.ResourceAlreadyExists', 'ManagerAccount', 'UserName', user);
  if (accounts.list().length >= accounts.policy.maxAccounts)
    throw httpError(400, 'Base.CreateLimitReachedForResource');
  if (accounts.passwordProblem(password)) throw httpError(400, 'Base.PasswordIncorrectLength');
  try {
    const a = await accounts.create(user, { password }, role, enabled);
    req.ctx.log.info('account created', { user, role, by: req.principal!.user });
    return {
      status: 201,
      headers: { Location: `${ACCOUNTS}/${user}` },
      body: accountPayload(req, a),
    };
  } catch {
    throw httpError(409, 'Base.ResourceAlreadyExists', 'ManagerAccount', 'UserName', user);
  }
}

/** Would this change leave no enabled Administrator? */
function lastAdmin(req: Req, a: Account): boolean {
  return a.roleId === 'Administrator' && a.enabled && req.ctx.accounts.activeAdministrators() <= 1;
}

async function patchAccount(req: Req) {
  const a = accountOf(req);
  const b = req.body!;
  const known = ['Id', 'Name', 'UserName', 'AccountTypes', 'Links', 'PasswordChangeRequired'];
  checkPatch(b, canManage(req) ? ['Password', 'RoleId', 'Enabled', 'Locked'] : ['Password'], [
    ...known,
    'RoleId',
    'Enabled',
    'Locked',
  ]);
  const password =
    b['Password'] === undefined ? undefined : expectString(b['Password'], 'Password', 1024);
  const role = b['RoleId'];
  if (role !== undefined && !isRoleId(role))
    throw httpError(400, 'Base.PropertyValueNotInList', JSON.stringify(role), 'RoleId');
  const enabled = b['Enabled'] === undefined ? undefined : expectBoolean(b['Enabled'], 'Enabled');
  const locked = b['Locked'] === undefined ? undefined : expectBoolean(b['Locked'], 'Locked');
  if (locked === true) throw httpError(400, 'Base.PropertyValueNotInList', 'true', 'Locked');
  if ((enabled === false || (role !== undefined && role !== 'Administrator')) && lastAdmin(req, a))
    throw httpError(400, 'Base.RestrictedRole', 'Administrator');
  if (password !== undefined && req.ctx.accounts.passwordProblem(password))
    throw httpError(400, 'Base.PasswordIncorrectLength');
  if (password !== undefined) await req.ctx.accounts.setPassword(a.userName, password);
  if (isRoleId(role)) req.ctx.accounts.setRole(a.userName, role);
  if (enabled !== undefined) req.ctx.accounts.setEnabled(a.userName, enabled);
  if (locked === false) req.ctx.accounts.unlock(a.userName);
  req.ctx.log.info('account modified', {
    user: a.userName,
    by: req.principal!.user,
    password: password !== undefined,
  });
  return noContent;
}

function deleteAccount(req: Req) {
  const a = accountOf(req);
  if (lastAdmin(req, a)) throw httpError(400, 'Base.ResourceCannotBeDeleted');
  req.ctx.accounts.remove(a.userName);
  req.ctx.log.info('account removed', { user: a.userName, by: req.principal!.user });
  return noContent;
}

function role(req: Req): JsonObject {
  const id = req.params['RoleId']!;
  if (!isRoleId(id)) throw notFound('Role', id);
  return {
    '@odata.id': `${ROLES_URI}/${id}`,
    '@odata.type': odataType('Role'),
    Id: id,
    Name: `${id} role`,
    RoleId: id,
    IsPredefined: true,
    AssignedPrivileges: [...ROLES[id]],
    OemPrivileges: [],
  };
}

/** The caller's own account: a self-read, or a PATCH that changes only the password. */
function isSelf(req: Req): boolean {
  if (req.params['AccountId'] !== req.principal?.user) return false;
  if (req.method !== 'PATCH') return true;
  const keys = Object.keys(req.body ?? {}).filter((k) => !k.startsWith('@'));
  return keys.length === 1 && keys[0] === 'Password';
}

export const accountRoutes: RouteDef[] = [
  { path: SERVICE, entity: 'AccountService', get: accountService, patch: patchAccountService },
  {
    path: ACCOUNTS,
    entity: 'ManagerAccountCollection',
    get: (req) => {
      const all = req.ctx.accounts.list();
      const visible =
        canManage(req) || req.principal!.privileges.has('ConfigureManager')
          ? all
          : all.filter((a) => a.userName === req.principal!.user);
      return collection(
        ACCOUNTS,
        'ManagerAccountCollection',
        'Accounts Collection',
        visible.map((a) => `${ACCOUNTS}/${a.userName}`),
      );
    },
    post: createAccount,
  },
  {
    path: `${ACCOUNTS}/{AccountId}`,
    entity: 'ManagerAccount',
    get: (req) => accountPayload(req, accountOf(req)),
    patch: patchAccount,
    delete: deleteAccount,
    isSelf,
  },
  {
    path: ROLES_URI,
    entity: 'RoleCollection',
    get: () =>
      collection(
        ROLES_URI,
        'RoleCollection',
        'Roles Collection',
        ROLE_IDS.map((r) => `${ROLES_URI}/${r}`),
      ),
  },
  { path: `${ROLES_URI}/{RoleId}`, entity: 'Role', get: role },
];
