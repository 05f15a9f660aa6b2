import type { Privilege, RoleId } from '../privileges.js';

/** Who a request acts as, after authentication. */
export interface Principal {
  readonly user: string;
  readonly roleId: RoleId;
  readonly privileges: ReadonlySet<Privilege>;
  /** Set when authenticated by X-Auth-Token. */
  readonly sessionId?: string;
}
