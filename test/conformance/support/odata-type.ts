/**
 * `@odata.type` values: `#PowerSupply.v1_5_0.PowerSupply` (versioned) or
 * `#PowerSupplyCollection.PowerSupplyCollection` (unversioned: collections, some registries).
 * The namespace names the schema file, the version its errata family, the last part the
 * definition inside it.
 */

export interface ODataType {
  /** `PowerSupply` */
  readonly namespace: string;
  /** [1, 5, 0] for `v1_5_0`; null for an unversioned namespace. */
  readonly version: readonly [number, number, number] | null;
  /** `PowerSupply` (the definition inside the schema file) */
  readonly type: string;
  /** `PowerSupply.v1_5_0` or `PowerSupplyCollection`: what a CSDL `edmx:Include` names. */
  readonly qualifiedNamespace: string;
}

const TYPE_RE = /^#([A-Za-z][A-Za-z0-9]*)(?:\.v(\d+)_(\d+)_(\d+))?\.([A-Za-z][A-Za-z0-9]*)$/;

export function parseODataType(value: unknown): ODataType | null {
  if (typeof value !== 'string') return null;
  const m = TYPE_RE.exec(value);
  if (!m) return null;
  const [, namespace, major, minor, errata, type] = m;
  const version =
    major === undefined ? null : ([Number(major), Number(minor), Number(errata)] as const);
  return {
    namespace: namespace!,
    version,
    type: type!,
    qualifiedNamespace: version ? `${namespace}.v${version.join('_')}` : namespace!,
  };
}

/** -1, 0, 1 like a sort comparator. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** `1.6` or `1.0.0` or `v1_5_0` → [1, 6] / [1, 0, 0] / [1, 5, 0]; null when not a version. */
export function parseVersion(text: string): number[] | null {
  const t = text.replace(/^v/, '').replace(/_/g, '.');
  if (!/^\d+(\.\d+)*$/.test(t)) return null;
  return t.split('.').map(Number);
}
