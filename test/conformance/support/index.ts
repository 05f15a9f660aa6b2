/**
 * Redfish conformance tooling (docs/REDFISH-CONFORMANCE.md): a DMTF schema validator, an
 * interoperability-profile checker, a read-only tree walker and service-level checks. They
 * take a URL and credentials, not our fixture, so they run against any Redfish service; the
 * pure parts (validator, profile checker, payload checks) run on handwritten payloads.
 */
export {
  RedfishSchemaValidator,
  schemasAvailable,
  type ValidationResult,
} from './schema-validator.js';
export { loadProfiles } from './profile-loader.js';
export {
  checkProfiles,
  formatFinding,
  instancesOf,
  type Finding,
  type ProfileReport,
  type Tree,
} from './profile-checker.js';
export { checkActions, checkIdentity, linksOf, type Issue } from './payload-checks.js';
export { RedfishClient, jsonOf, type ClientOptions, type Credentials } from './http.js';
export { walk, type WalkOptions, type WalkResult } from './walker.js';
export {
  checkMetadata,
  checkServiceDocument,
  checkUnauthenticated,
  includedNamespaces,
  servedNamespaces,
} from './service-checks.js';
export { failures, runConformance, summary, type ConformanceReport } from './conformance.js';
export { parseODataType, type ODataType } from './odata-type.js';
export * from './paths.js';
