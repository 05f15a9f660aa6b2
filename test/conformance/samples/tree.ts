/**
 * A handwritten Redfish tree of one power shelf that meets the DMTF schemas and both OCP
 * profiles (Power Shelf Management + Service Baseline). The unit tests check that the tools
 * accept it and reject targeted mutations of it; it also shows the service the expected shape.
 * Values are plausible for an ORv3 HPR shelf, not measured.
 */

import { putBaseline } from './tree-baseline.js';
import { putShelf } from './tree-shelf.js';
import { V1, link, resource, type Payload } from './tree-build.js';

export type { Payload } from './tree-build.js';

export function sampleTree(): Map<string, Payload> {
  const t = new Map<string, Payload>();
  const put = (p: Payload): void => void t.set(p['@odata.id'] as string, p);

  put(
    resource(V1, '#ServiceRoot.v1_20_0.ServiceRoot', 'Root Service', {
      Id: 'RootService',
      RedfishVersion: '1.21.0',
      UUID: '6f8a1c9e-2b4d-4e51-9a0f-0c2d3e4f5a6b',
      Product: 'orv3-gateway',
      Vendor: 'orv3-gateway project',
      ProtocolFeaturesSupported: {
        ExpandQuery: { ExpandAll: false, Levels: false, Links: false, NoLinks: false },
        FilterQuery: false,
        OnlyMemberQuery: true,
        SelectQuery: true,
        MultipleHTTPRequests: true,
      },
      AccountService: link(`${V1}/AccountService`),
      CertificateService: link(`${V1}/CertificateService`),
      Chassis: link(`${V1}/Chassis`),
      EventService: link(`${V1}/EventService`),
      Managers: link(`${V1}/Managers`),
      PowerEquipment: link(`${V1}/PowerEquipment`),
      SessionService: link(`${V1}/SessionService`),
      UpdateService: link(`${V1}/UpdateService`),
      Links: { Sessions: link(`${V1}/SessionService/Sessions`) },
    }),
  );

  putBaseline(put);
  putShelf(put);
  return t;
}
