/**
 * Checks a walked tree (URI → payload) against interoperability profiles: which resources must
 * exist, which properties and actions each instance must have, with conditional requirements,
 * nested PropertyRequirements, MinCount, Comparison/Values and UseCases evaluated where a GET
 * can tell. What a read-only walk cannot tell (WriteRequirement, Create/Delete/Update) is
 * counted in `unchecked`, never silently passed.
 */
import { compare, type ResourceLookup } from './profile-compare.js';
import { compareVersions, parseODataType, parseVersion } from './odata-type.js';
import { instancesOf, type Finding, type ProfileReport, type Tree } from './profile-report.js';
import { checkProtocol } from './profile-protocol.js';
import type {
  ActionRequirement,
  Profile,
  PropertyRequirement,
  ReadRequirement,
  RequirementSet,
  ResourceRequirement,
} from './profile-types.js';

export {
  formatFinding,
  instancesOf,
  type Finding,
  type ProfileReport,
  type Tree,
} from './profile-report.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkProfiles(profiles: readonly Profile[], tree: Tree): ProfileReport {
  const c = new Checker(tree);
  for (const p of profiles) c.profile(p);
  return c.finish();
}

class Checker {
  private readonly gaps: Finding[] = [];
  private readonly advisories: Finding[] = [];
  /** Kind → distinct requirements (profile|resource|path) a GET cannot evaluate. */
  private readonly unchecked = new Map<string, Set<string>>();
  /**
   * `Supported`: some instance must have it. Key → first instance seen, and the best seen:
   * absent everywhere is a gap; present only as null is an advisory, as for Mandatory (DSP0266:
   * null says the service implements the property but has no value now).
   */
  private readonly supported = new Map<
    string,
    { f: Omit<Finding, 'message'>; seen: 'absent' | 'null' | 'value' }
  >();
  private instances = 0;
  private profileLabel = '';
  private readonly lookup: ResourceLookup;

  constructor(private readonly tree: Tree) {
    this.lookup = (uri) => tree.get(uri);
  }

  profile(p: Profile): void {
    this.profileLabel = `${p.json.ProfileName} ${p.json.ProfileVersion}`;
    if (p.json.Protocol) {
      for (const f of checkProtocol(p.json.Protocol, this.tree.get('/redfish/v1'))) {
        const finding = {
          profile: this.profileLabel,
          resource: 'Protocol',
          uri: '/redfish/v1',
          ...f,
        };
        (f.mandatory ? this.gaps : this.advisories).push(finding);
        if (f.unchecked) this.count(`Protocol ${f.path}`, this.profileLabel);
      }
    }
    for (const [schema, req] of Object.entries(p.json.Resources ?? {})) this.resource(schema, req);
  }

  finish(): ProfileReport {
    for (const { f, seen } of this.supported.values()) {
      if (seen === 'absent') this.gaps.push({ ...f, message: 'Supported: no instance reports it' });
      else if (seen === 'null')
        this.advisories.push({ ...f, message: 'Supported: every instance reports it as null' });
    }
    return {
      gaps: this.gaps,
      advisories: this.advisories,
      unchecked: Object.fromEntries([...this.unchecked].map(([k, v]) => [k, v.size])),
      instancesChecked: this.instances,
    };
  }

  private resource(schema: string, req: ResourceRequirement): void {
    this.countWrites(req, schema);
    if (req.ConditionalRequirements) this.count('resource-level ConditionalRequirements', schema);
    if (req.UseCases) {
      for (const uc of req.UseCases) {
        const all = instancesOf(this.tree, schema, uc.URIs ?? req.URIs);
        const key = uc.UseCaseKeyProperty;
        const matching = all.filter(
          ([, p]) =>
            key === undefined ||
            compare(
              p[key],
              uc.UseCaseComparison ?? 'Equal',
              uc.UseCaseKeyValues ?? [],
              this.lookup,
            ),
        );
        const label = `${schema} (${uc.UseCaseTitle ?? 'use case'})`;
        this.requirementSet(label, schema, uc, matching, uc.URIs ?? req.URIs);
      }
      return;
    }
    this.requirementSet(schema, schema, req, instancesOf(this.tree, schema, req.URIs), req.URIs);
  }

  private requirementSet(
    label: string,
    schema: string,
    req: RequirementSet,
    instances: [string, Obj][],
    uris: readonly string[] | undefined,
  ): void {
    const read = req.ReadRequirement ?? 'Mandatory';
    if (read === 'None') return;
    if (instances.length === 0) {
      const where = uris ? ` at ${uris.join(' or ')}` : '';
      const base = { profile: this.profileLabel, resource: label, uri: null, path: '' };
      if (read === 'Mandatory' || read === 'Supported') {
        this.gaps.push({ ...base, message: `no ${schema} resource${where}` });
      } else if (read === 'Recommended') {
        this.advisories.push({ ...base, message: `recommended ${schema} resource absent${where}` });
      }
      return;
    }
    for (const [uri, payload] of instances) {
      this.instances++;
      const at = { profile: this.profileLabel, resource: label, uri };
      if (req.MinVersion) {
        const have = parseODataType(payload['@odata.type'])?.version;
        const min = parseVersion(req.MinVersion);
        if (have && min && compareVersions(have, min) < 0) {
          this.gaps.push({
            ...at,
            path: '@odata.type',
            message: `schema ${have.join('.')} < MinVersion ${req.MinVersion}`,
          });
        }
      }
      const absent = (payload.Status as Obj | undefined)?.State === 'Absent';
      this.properties(at, payload, req.PropertyRequirements ?? {}, '', absent);
      for (const [name, areq] of Object.entries(req.ActionRequirements ?? {})) {
        this.action(at, schema, payload, name, areq);
      }
    }
  }

  private properties(
    at: Omit<Finding, 'path' | 'message'>,
    parent: Obj,
    reqs: Readonly<Record<string, PropertyRequirement>>,
    prefix: string,
    absent: boolean,
  ): void {
    for (const [name, req] of Object.entries(reqs)) {
      const path = prefix ? `${prefix}/${name}` : name;
      const f = { ...at, path };
      this.countWrites(req, `${at.resource}|${path}`);
      const { read, comparison } = this.effective(req, parent, `${at.resource}|${path}`);
      const present = name in parent;
      const value = parent[name];
      if (!present) {
        if (read === 'Mandatory' || (read === 'IfPopulated' && !absent)) {
          this.gaps.push({
            ...f,
            message: `missing ${read === 'Mandatory' ? 'mandatory' : 'IfPopulated'} property`,
          });
        } else if (read === 'Recommended') {
          this.advisories.push({ ...f, message: 'recommended property absent' });
        }
      }
      if (read === 'Supported') {
        const key = `${this.profileLabel}|${at.resource}|${path}`;
        const s = this.supported.get(key) ?? { f: { ...f, uri: null }, seen: 'absent' };
        if (present && value !== null) s.seen = 'value';
        else if (present && s.seen === 'absent') s.seen = 'null';
        this.supported.set(key, s);
      }
      if (!present) continue;
      if (value === null) {
        if (read === 'Mandatory')
          this.advisories.push({ ...f, message: 'mandatory property is null' });
        continue;
      }
      if (comparison && !compare(value, comparison.type, comparison.values, this.lookup)) {
        this.gaps.push({
          ...f,
          message: `${JSON.stringify(value)} fails ${comparison.type} ${JSON.stringify(comparison.values)}`,
        });
      }
      if (req.MinCount !== undefined && Array.isArray(value) && value.length < req.MinCount) {
        this.gaps.push({ ...f, message: `${value.length} entries, MinCount ${req.MinCount}` });
      }
      if (req.PropertyRequirements) {
        const items = Array.isArray(value) ? value : [value];
        items.forEach((item, i) => {
          if (!isObj(item)) return;
          const p = Array.isArray(value) ? `${path}/${i}` : path;
          this.properties(at, item, req.PropertyRequirements!, p, absent);
        });
      }
    }
  }

  /** The requirement that applies to this instance once ConditionalRequirements are evaluated. */
  private effective(
    req: PropertyRequirement,
    parent: Obj,
    key: string,
  ): {
    read: ReadRequirement;
    comparison?: {
      type: NonNullable<PropertyRequirement['Comparison']>;
      values: readonly unknown[];
    };
  } {
    let read: ReadRequirement = req.ReadRequirement ?? 'Mandatory';
    let comparison = req.Comparison
      ? { type: req.Comparison, values: req.Values ?? [] }
      : undefined;
    let matched = false;
    for (const cond of req.ConditionalRequirements ?? []) {
      if (cond.SubordinateToResource) {
        this.count('ConditionalRequirements SubordinateToResource', key);
        continue;
      }
      if (cond.CompareProperty === undefined) continue;
      const ok = compare(
        parent[cond.CompareProperty],
        cond.CompareType ?? 'Equal',
        cond.CompareValues ?? [],
        this.lookup,
      );
      if (!ok) continue;
      matched = true;
      if (cond.ReadRequirement) read = cond.ReadRequirement;
      if (cond.Comparison) comparison = { type: cond.Comparison, values: cond.Values ?? [] };
      break;
    }
    // A Conditional property whose conditions do not hold is optional for this instance.
    if (!matched && read === 'Conditional') read = 'IfImplemented';
    return comparison ? { read, comparison } : { read };
  }

  private action(
    at: Omit<Finding, 'path' | 'message'>,
    schema: string,
    payload: Obj,
    name: string,
    req: ActionRequirement,
  ): void {
    const key = `#${schema}.${name}`;
    const f = { ...at, path: `Actions/${key}` };
    const read = req.ReadRequirement ?? 'Mandatory';
    const action = (payload.Actions as Obj | undefined)?.[key];
    if (!isObj(action)) {
      if (read === 'Mandatory') this.gaps.push({ ...f, message: 'missing mandatory action' });
      else if (read === 'Recommended')
        this.advisories.push({ ...f, message: 'recommended action absent' });
      return;
    }
    const infoUri = action['@Redfish.ActionInfo'];
    if (req.ActionInfo === 'Mandatory' && typeof infoUri !== 'string') {
      this.gaps.push({ ...f, message: 'missing mandatory @Redfish.ActionInfo' });
    }
    const info = typeof infoUri === 'string' ? this.tree.get(infoUri) : undefined;
    for (const [param, preq] of Object.entries(req.Parameters ?? {})) {
      if (!preq.ParameterValues) continue;
      const fromInfo = (isObj(info) && Array.isArray(info.Parameters) ? info.Parameters : []).find(
        (p: unknown) => isObj(p) && p.Name === param,
      ) as Obj | undefined;
      const allowed = action[`${param}@Redfish.AllowableValues`] ?? fromInfo?.AllowableValues;
      // Without AllowableValues the service accepts every value the schema defines (DSP0266).
      if (!Array.isArray(allowed)) continue;
      const lacking = preq.ParameterValues.filter((v) => !allowed.includes(v));
      if (lacking.length > 0) {
        this.gaps.push({ ...f, message: `${param} AllowableValues lack ${lacking.join(', ')}` });
      }
    }
  }

  private countWrites(req: PropertyRequirement | RequirementSet, key: string): void {
    if ('WriteRequirement' in req && req.WriteRequirement) this.count('WriteRequirement', key);
    const r = req as RequirementSet;
    if (r.CreateResource || r.DeleteResource || r.UpdateResource) {
      this.count('Create/Delete/UpdateResource', key);
    }
  }

  private count(kind: string, key: string): void {
    const set = this.unchecked.get(kind) ?? new Set<string>();
    set.add(`${this.profileLabel}|${key}`);
    this.unchecked.set(kind, set);
  }
}
