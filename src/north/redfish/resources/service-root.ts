/** ServiceRoot (`/redfish/v1`), the service document (`/redfish/v1/odata`) and `$metadata`. */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { COLLECTIONS, odataType, SCHEMA_VERSIONS, type VersionedType } from '../schemas.js';
import { MAX_EXPAND_LEVELS } from '../http/query.js';
import { link, ROOT } from './util.js';

export const REDFISH_VERSION = '1.22.0';

/** Top-level services, in the order the service document lists them. */
const TOP = {
  Chassis: `${ROOT}/Chassis`,
  Managers: `${ROOT}/Managers`,
  PowerEquipment: `${ROOT}/PowerEquipment`,
  SessionService: `${ROOT}/SessionService`,
  AccountService: `${ROOT}/AccountService`,
  EventService: `${ROOT}/EventService`,
  TelemetryService: `${ROOT}/TelemetryService`,
  UpdateService: `${ROOT}/UpdateService`,
  CertificateService: `${ROOT}/CertificateService`,
  Registries: `${ROOT}/Registries`,
} as const;

function serviceRoot(req: Req): JsonObject {
  const { info } = req.ctx;
  return {
    '@odata.id': `${ROOT}`,
    '@odata.type': odataType('ServiceRoot'),
    Id: 'RootService',
    Name: 'Root Service',
    RedfishVersion: REDFISH_VERSION,
    UUID: info.uuid,
    Product: info.product,
    Vendor: info.vendor,
    ProtocolFeaturesSupported: {
      ExpandQuery: {
        ExpandAll: true,
        Levels: true,
        Links: true,
        NoLinks: true,
        MaxLevels: MAX_EXPAND_LEVELS,
      },
      FilterQuery: false,
      SelectQuery: true,
      OnlyMemberQuery: true,
      ExcerptQuery: false,
      TopSkipQuery: false,
      MultipleHTTPRequests: true,
      DeepOperations: { DeepPATCH: false, DeepPOST: false },
    },
    ...Object.fromEntries(Object.entries(TOP).map(([k, v]) => [k, link(v)])),
    Links: { Sessions: link(`${ROOT}/SessionService/Sessions`) },
  };
}

function serviceDocument(): JsonObject {
  return {
    '@odata.context': `${ROOT}/$metadata`,
    value: [
      { name: 'Service', kind: 'Singleton', url: `${ROOT}/` },
      ...Object.entries(TOP).map(([name, url]) => ({ name, kind: 'Singleton', url })),
    ],
  };
}

function reference(ns: string, versioned?: string): string {
  const inc = [`    <edmx:Include Namespace="${ns}"/>`];
  if (versioned) inc.push(`    <edmx:Include Namespace="${ns}.${versioned}"/>`);
  return `  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/${ns}_v1.xml">\n${inc.join('\n')}\n  </edmx:Reference>`;
}

/** CSDL references for every schema this service serves (built once). */
let metadataCache: string | undefined;
export function metadataXml(): string {
  if (metadataCache) return metadataCache;
  const refs = [
    ...(Object.keys(SCHEMA_VERSIONS) as VersionedType[]).map((t) =>
      reference(t, SCHEMA_VERSIONS[t]),
    ),
    ...COLLECTIONS.map((c) => reference(c)),
    reference('Resource'),
    `  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/RedfishExtensions_v1.xml">\n` +
      `    <edmx:Include Namespace="RedfishExtensions.v1_0_0" Alias="Redfish"/>\n  </edmx:Reference>`,
  ];
  metadataCache =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">\n` +
    `${refs.join('\n')}\n` +
    `  <edmx:DataServices>\n    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">\n` +
    `      <EntityContainer Name="Service" Extends="ServiceRoot.${SCHEMA_VERSIONS.ServiceRoot}.ServiceContainer"/>\n` +
    `    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n`;
  return metadataCache;
}

export const serviceRootRoutes: RouteDef[] = [
  { path: ROOT, entity: 'ServiceRoot', get: serviceRoot, noAuth: ['GET', 'HEAD'] },
  { path: `${ROOT}/odata`, entity: 'ServiceRoot', get: serviceDocument, noAuth: ['GET', 'HEAD'] },
  {
    path: `${ROOT}/$metadata`,
    entity: 'ServiceRoot',
    raw: () => ({ contentType: 'application/xml; charset=utf-8', body: metadataXml() }),
    noAuth: ['GET', 'HEAD'],
  },
];
