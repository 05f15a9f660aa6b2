/**
 * A profile's `Protocol` section against the service root: the Redfish version and the query
 * features ServiceRoot.ProtocolFeaturesSupported declares. Discovery (SSDP) and HostInterface
 * are not visible from the tree and come back as unchecked.
 */
import { compareVersions, parseVersion } from './odata-type.js';

export interface ProtocolFinding {
  readonly path: string;
  readonly message: string;
  /** True for a Mandatory item not met (a gap); false for Recommended ones (advisories). */
  readonly mandatory: boolean;
  readonly unchecked?: boolean;
}

type Obj = Record<string, unknown>;

/** ProtocolFeaturesSupported member that declares each profile query item. */
const FEATURES: Readonly<Record<string, (f: Obj) => boolean>> = {
  ExpandQuery: (f) => {
    const e = f.ExpandQuery as Obj | undefined;
    return !!e && (e.ExpandAll === true || e.Links === true || e.NoLinks === true);
  },
  SelectQuery: (f) => f.SelectQuery === true,
  FilterQuery: (f) => f.FilterQuery === true,
  OnlyQuery: (f) => f.OnlyMemberQuery === true,
  ExcerptQuery: (f) => f.ExcerptQuery === true,
  DeepPATCH: (f) => (f.DeepOperations as Obj | undefined)?.DeepPATCH === true,
  DeepPOST: (f) => (f.DeepOperations as Obj | undefined)?.DeepPOST === true,
};

export function checkProtocol(
  protocol: Readonly<Record<string, string>>,
  root: unknown,
): ProtocolFinding[] {
  const out: ProtocolFinding[] = [];
  const r = (typeof root === 'object' && root !== null ? root : {}) as Obj;
  const features = (r.ProtocolFeaturesSupported ?? {}) as Obj;
  for (const [item, level] of Object.entries(protocol)) {
    if (item === 'MinVersion') {
      const have = typeof r.RedfishVersion === 'string' ? parseVersion(r.RedfishVersion) : null;
      const min = parseVersion(level);
      if (!have || !min || compareVersions(have, min) < 0) {
        out.push({
          path: 'RedfishVersion',
          message: `RedfishVersion ${JSON.stringify(r.RedfishVersion)} below MinVersion ${level}`,
          mandatory: true,
        });
      }
      continue;
    }
    if (level !== 'Mandatory' && level !== 'Recommended') continue;
    const check = FEATURES[item];
    const mandatory = level === 'Mandatory';
    if (!check) {
      if (mandatory)
        out.push({
          path: item,
          message: 'not checkable from the tree',
          mandatory: false,
          unchecked: true,
        });
      continue;
    }
    if (!check(features)) {
      out.push({
        path: `ProtocolFeaturesSupported (${item})`,
        message: `${level} ${item} not declared in ProtocolFeaturesSupported`,
        mandatory,
      });
    }
  }
  return out;
}
