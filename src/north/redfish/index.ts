/**
 * src/north/redfish: the gateway's Redfish service (docs/REDFISH.md) — OCP Power Shelf
 * profile over the gateway's telemetry and commands, sessions and roles, events (SSE and
 * push), telemetry reports. Start it with `startRedfishService({ gateway, … })`; it reads only
 * the gateway's public surface. To fake it in tests, run it on a sim gateway
 * (test/support/redfish-fixture.ts) with `insecureHttp` on 127.0.0.1:0.
 */
export { startRedfishService } from './service.js';
export type { InitialAccount, RedfishService, RedfishServiceOptions } from './service.js';
export { consoleLogger, silentLogger, type RedfishLogger } from './logger.js';
export { hashPassword, verifyPassword } from './auth/passwords.js';
export { readTlsFiles, generateSelfSigned, type TlsMaterial } from './certificates.js';
export { ROLES, ROLE_IDS, isRoleId, type RoleId } from './privileges.js';
export { defaultRedfishDir, defaultRegistryDir } from './paths.js';
