/**
 * The DMTF JSON schema bundle as files on disk, read on demand and prepared for ajv.
 *
 * Every file names other files by absolute id (`http://redfish.dmtf.org/schemas/v1/X.json#/...`).
 * Taken literally, one resource schema pulls in nearly the whole bundle (≈1000 files, 33 MB):
 * each unversioned file's definition is an `anyOf` over every version of that type, and every
 * version links to more unversioned files. Two rewrites, both applied when a file is read, keep
 * the closure of a resource schema to a few dozen files without accepting anything the full
 * bundle would reject (for a payload that is not `$expand`ed):
 *
 * - Resource (entity) wrappers, `anyOf: [idRef, X.v1_0_0#/definitions/X, ...]`: a non-expanded
 *   payload holds only a link there. We keep `idRef` and replace the version list by "an
 *   embedded object that carries its own `@odata.type`"; the validator checks such embedded
 *   objects (auto-expanded members, `@Message.ExtendedInfo`) against their own type.
 * - Complex-type wrappers, `anyOf: [X.v1_0_0#/definitions/T, X.v1_1_0#/definitions/T, ...]`:
 *   Redfish minor versions only add properties and enum values (DSP0266 "schema versioning"),
 *   so the newest version accepts whatever any older one does; we keep only the newest.
 *
 * A `$ref` to a file missing from the bundle (the bundle is a subset) becomes an unchecked
 * placeholder and is listed in `missingFiles`, so the gap is visible rather than fatal.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareVersions } from './odata-type.js';

export const DMTF_BASE = 'http://redfish.dmtf.org/schemas/v1/';
const ID_REF = `${DMTF_BASE}odata-v4.json#/definitions/idRef`;
/** Annotation keywords whose values hold `$ref`s that ajv never compiles: not followed. */
const NOT_SCHEMA_KEYS = new Set(['parameters', 'actionResponse']);

type Json = Record<string, unknown>;

export const EMBEDDED_RESOURCE: Json = {
  type: 'object',
  properties: { '@odata.id': { type: 'string' }, '@odata.type': { type: 'string' } },
  required: ['@odata.id', '@odata.type'],
  description: 'An expanded resource: validated on its own against its @odata.type.',
};

const VERSIONED_FILE_RE = /^(.+)\.v(\d+)_(\d+)_(\d+)\.json$/;

export interface VersionedFile {
  readonly file: string;
  readonly version: readonly [number, number, number];
}

export class SchemaStore {
  /** File name → versions on disk, newest last; built once from the directory listing. */
  private readonly versions = new Map<string, VersionedFile[]>();
  private readonly files: ReadonlySet<string>;
  readonly missingFiles = new Set<string>();

  constructor(readonly dir: string) {
    this.files = new Set(readdirSync(dir).filter((f) => f.endsWith('.json')));
    for (const file of this.files) {
      const m = VERSIONED_FILE_RE.exec(file);
      if (!m) continue;
      const version = [Number(m[2]), Number(m[3]), Number(m[4])] as const;
      const list = this.versions.get(m[1]!) ?? [];
      list.push({ file, version });
      this.versions.set(m[1]!, list);
    }
    for (const list of this.versions.values()) {
      list.sort((a, b) => compareVersions(a.version, b.version));
    }
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  /** Versions of a namespace on disk, oldest first. */
  versionsOf(namespace: string): readonly VersionedFile[] {
    return this.versions.get(namespace) ?? [];
  }

  /** A file as ajv gets it: id set to the URI others use for it, wrappers rewritten. */
  read(file: string): Json {
    const schema = JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as Json;
    // odata-v4.json calls itself odata.v4_0_5.json; everyone else refers to it by file name.
    schema.$id = DMTF_BASE + file;
    if (!VERSIONED_FILE_RE.test(file)) this.narrowWrappers(schema);
    this.blankMissingRefs(schema);
    return schema;
  }

  /** Files this (already read) schema refers to, for the closure walk. */
  static referencedFiles(schema: unknown): Set<string> {
    const out = new Set<string>();
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (typeof node !== 'object' || node === null) return;
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith(DMTF_BASE)) {
          out.add(v.slice(DMTF_BASE.length).split('#')[0]!);
        } else if (!NOT_SCHEMA_KEYS.has(k)) visit(v);
      }
    };
    visit(schema);
    return out;
  }

  private narrowWrappers(schema: Json): void {
    const defs = (schema.definitions ?? {}) as Record<string, Json>;
    for (const def of Object.values(defs)) {
      const anyOf = def.anyOf;
      if (!Array.isArray(anyOf) || anyOf.length === 0) continue;
      const refs = anyOf.map((s: Json) => (typeof s.$ref === 'string' ? s.$ref : null));
      if (refs.some((r) => r === null)) continue;
      const versioned = refs
        .map((r) => ({
          r: r!,
          m: VERSIONED_FILE_RE.exec(r!.slice(DMTF_BASE.length).split('#')[0]!),
        }))
        .filter((x) => x.m !== null);
      if (versioned.length === 0) continue;
      if (refs.includes(ID_REF)) {
        def.anyOf = [{ $ref: ID_REF }, EMBEDDED_RESOURCE];
      } else {
        const newest = versioned.reduce((a, b) =>
          compareVersions(verOf(a.m!), verOf(b.m!)) >= 0 ? a : b,
        );
        def.anyOf = [{ $ref: newest.r }];
      }
    }
  }

  private blankMissingRefs(node: unknown): void {
    if (Array.isArray(node)) return node.forEach((n) => this.blankMissingRefs(n));
    if (typeof node !== 'object' || node === null) return;
    const obj = node as Json;
    const ref = obj.$ref;
    if (typeof ref === 'string' && !ref.startsWith('#')) {
      // Other absolute ids (Swordfish, OEM) are never in the bundle.
      const file = ref.startsWith(DMTF_BASE) ? ref.slice(DMTF_BASE.length).split('#')[0]! : null;
      if (file === null || !this.files.has(file)) {
        const missing = file ?? ref.split('#')[0]!;
        this.missingFiles.add(missing);
        delete obj.$ref;
        obj.$comment = `not checked: ${missing} is not in the schema bundle`;
      }
    }
    for (const [k, v] of Object.entries(obj)) if (!NOT_SCHEMA_KEYS.has(k)) this.blankMissingRefs(v);
  }
}

function verOf(m: RegExpExecArray): number[] {
  return [Number(m[2]), Number(m[3]), Number(m[4])];
}

export function schemaDirUsable(dir: string): boolean {
  return existsSync(join(dir, 'odata-v4.json')) && existsSync(join(dir, 'Resource.json'));
}
