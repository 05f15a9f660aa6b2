/**
 * Validates Redfish payloads against the DMTF JSON schemas named by their `@odata.type`
 * (`#PowerSupply.v1_5_0.PowerSupply` → PowerSupply.v1_5_x.json, definition PowerSupply).
 *
 * ajv runs strict: every DMTF-specific keyword (`readonly`, `longDescription`, `units`, ...) is
 * registered as an annotation keyword with the type of value it takes, and the two formats the
 * bundle uses are defined here, so a keyword or format we do not know still fails loudly instead
 * of validating nothing. Files are read lazily, one closure per type on first use (schema-store).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { formatErrors } from './schema-errors.js';
import { DMTF_BASE, SchemaStore, schemaDirUsable } from './schema-store.js';
import { parseODataType, type ODataType } from './odata-type.js';
import { SCHEMA_DIR } from './paths.js';

export interface ValidationResult {
  readonly ok: boolean;
  /** `PowerSupply.v1_5_4.json#/definitions/PowerSupply`; null when no schema could be chosen. */
  readonly schema: string | null;
  /** One line each: `/Status/Health: "Fine" is not one of OK, Warning, Critical`. */
  readonly errors: readonly string[];
  /** Facts worth knowing that are not failures (errata substitution, unchecked OEM types). */
  readonly notes: readonly string[];
}

const REDFISH_META = `${DMTF_BASE}redfish-schema-v1.json`;

/** DMTF annotation keywords (redfish-schema-v1.json) and the JSON type of their values. */
const ANNOTATIONS: Readonly<Record<string, 'string' | 'boolean' | 'object' | 'array'>> = {
  readonly: 'boolean',
  longDescription: 'string',
  enumDescriptions: 'object',
  enumLongDescriptions: 'object',
  enumVersionAdded: 'object',
  enumDeprecated: 'object',
  enumVersionDeprecated: 'object',
  units: 'string',
  requiredOnCreate: 'array',
  versionAdded: 'string',
  versionDeprecated: 'string',
  excerpt: 'string',
  excerptCopy: 'string',
  excerptCopyOnly: 'boolean',
  uris: 'array',
  urisDeprecated: 'array',
  insertable: 'boolean',
  updatable: 'boolean',
  deletable: 'boolean',
  autoExpand: 'boolean',
  uriSegment: 'string',
  actionResponse: 'object',
  parameters: 'object',
  copyright: 'string',
  language: 'string',
  owningEntity: 'string',
  release: 'string',
};

// RFC 3339 date-time as DSP0266 uses it: offset required, fractional seconds optional.
const DATE_TIME_RE =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;
// RFC 3986 URI-reference: no whitespace, no control characters; relative references allowed.
// eslint-disable-next-line no-control-regex
const URI_REFERENCE_RE = /^[^\s\u0000-\u001f\u007f]*$/;

export class RedfishSchemaValidator {
  private readonly ajv: Ajv;
  private readonly store: SchemaStore;
  /** Files given to ajv, as read (after the store's rewrites). */
  private readonly added = new Map<string, Record<string, unknown>>();
  private readonly compiled = new Map<string, ValidateFunction>();
  /** ajv's strict-mode warnings (logged, not thrown): kept so a test can show them. */
  readonly warnings: string[] = [];

  /** Throws when the directory is not a DMTF bundle; callers check `schemasAvailable` first. */
  constructor(readonly dir: string = SCHEMA_DIR) {
    if (!schemaDirUsable(dir)) throw new Error(`no DMTF JSON schema bundle in ${dir}`);
    this.store = new SchemaStore(dir);
    const keep = (m: unknown): void => void this.warnings.push(String(m));
    this.ajv = new Ajv({
      strict: true,
      // Logged (kept in `warnings`), not thrown: the bundle puts `format` on array-typed
      // properties (PowerSupply ElectricalSourceManagerURIs), a no-op JSON Schema allows.
      // Unknown keywords, formats, tuples and `required` stay fatal.
      strictTypes: 'log',
      // DMTF declares `Members@odata.count` etc. by name and also allows every annotation by
      // pattern; both apply to the same property, which is what the schema means.
      allowMatchingProperties: true,
      // DMTF writes nullable properties as "type": ["string", "null"].
      allowUnionTypes: true,
      allErrors: true,
      // Errors carry the offending value and schema, for readable messages.
      verbose: true,
      logger: { log: keep, warn: keep, error: keep },
    });
    for (const [keyword, type] of Object.entries(ANNOTATIONS)) {
      this.ajv.addKeyword({ keyword, schemaType: type });
    }
    this.ajv.addFormat('date-time', DATE_TIME_RE);
    this.ajv.addFormat('uri-reference', URI_REFERENCE_RE);
    // The bundle's $schema; DMTF's meta-schema is draft-07 plus the annotations above.
    this.ajv.addMetaSchema({
      $id: REDFISH_META,
      $schema: 'http://json-schema.org/draft-07/schema#',
      allOf: [{ $ref: 'http://json-schema.org/draft-07/schema#' }],
    });
  }

  /** Files referenced by the bundle but absent from it (their refs are not checked). */
  get missingFiles(): ReadonlySet<string> {
    return this.store.missingFiles;
  }

  /** Validates a payload against the schema its `@odata.type` names, and embedded resources too. */
  validate(payload: unknown): ValidationResult {
    const errors: string[] = [];
    const notes: string[] = [];
    const schema = this.validateInto(payload, '', errors, notes);
    return { ok: errors.length === 0, schema, errors, notes };
  }

  /** A named definition of a named file, e.g. ('redfish-error.v1_0_2.json', 'RedfishError'). */
  validateAs(payload: unknown, file: string, definition: string): ValidationResult {
    const errors: string[] = [];
    const id = `${file}#/definitions/${definition}`;
    const fn = this.compile(file, `/definitions/${definition}`);
    if (!fn(payload)) errors.push(...formatErrors(fn.errors ?? [], ''));
    return { ok: errors.length === 0, schema: id, errors, notes: [] };
  }

  /** The error body of DSP0266 §"Error responses" against the newest redfish-error schema. */
  validateErrorBody(body: unknown): ValidationResult {
    const files = this.store.versionsOf('redfish-error');
    const newest = files[files.length - 1];
    if (!newest) throw new Error(`no redfish-error.v*.json in ${this.dir}`);
    return this.validateAs(body, newest.file, 'RedfishError');
  }

  /** File and JSON pointer for an `@odata.type`, or the reason there is none. */
  resolve(t: ODataType): { file: string; pointer: string; note?: string } | { error: string } {
    let file: string;
    let note: string | undefined;
    if (t.version === null) {
      file = `${t.namespace}.json`;
      if (!this.store.has(file)) return { error: `no schema file ${file}` };
    } else {
      const [major, minor, errata] = t.version;
      const family = this.store
        .versionsOf(t.namespace)
        .filter((v) => v.version[0] === major && v.version[1] === minor);
      const exact = family.find((v) => v.version[2] === errata);
      const chosen = exact ?? family[family.length - 1];
      if (!chosen) {
        const have = this.store.versionsOf(t.namespace).map((v) => v.file);
        return {
          error: `no schema for ${t.qualifiedNamespace} (bundle has ${have.join(', ') || 'none'})`,
        };
      }
      file = chosen.file;
      if (!exact) note = `${t.qualifiedNamespace} checked against errata ${file}`;
    }
    const def = (this.fileSchema(file).definitions as Record<string, { anyOf?: unknown[] }>)?.[
      t.type
    ];
    if (!def) return { error: `${file} has no definition ${t.type}` };
    // An unversioned resource (a collection) is `anyOf: [idRef, {the resource}]`; a payload
    // must be the resource, not just a link, so validate against that branch alone.
    const branch = def.anyOf?.findIndex(
      (s) =>
        typeof s === 'object' && s !== null && !('$ref' in s && String(s.$ref).endsWith('/idRef')),
    );
    const pointer =
      branch !== undefined && branch >= 0 && def.anyOf!.length > 1
        ? `/definitions/${t.type}/anyOf/${branch}`
        : `/definitions/${t.type}`;
    return note ? { file, pointer, note } : { file, pointer };
  }

  private validateInto(
    payload: unknown,
    path: string,
    errors: string[],
    notes: string[],
  ): string | null {
    const raw = (payload as Record<string, unknown> | null)?.['@odata.type'];
    const t = parseODataType(raw);
    if (t === null) {
      errors.push(
        `${path || '/'}: @odata.type ${JSON.stringify(raw)} is not #Namespace[.vX_Y_Z].Type`,
      );
      return null;
    }
    const where = this.resolve(t);
    if ('error' in where) {
      // OEM extensions name vendor schemas we do not have: worth a note, not a failure.
      if (/\/Oem(\/|$)/.test(path)) notes.push(`${path}: ${where.error} (OEM, not checked)`);
      else errors.push(`${path || '/'}: ${where.error}`);
      return null;
    }
    if (where.note) notes.push(path ? `${path}: ${where.note}` : where.note);
    const fn = this.compile(where.file, where.pointer);
    if (!fn(payload)) errors.push(...formatErrors(fn.errors ?? [], path));
    this.validateEmbedded(payload, path, true, errors, notes);
    return `${where.file}#${where.pointer}`;
  }

  /** Objects inside the payload with their own `@odata.type` are checked against that type. */
  private validateEmbedded(
    node: unknown,
    path: string,
    root: boolean,
    errors: string[],
    notes: string[],
  ): void {
    if (Array.isArray(node)) {
      node.forEach((v, i) => this.validateEmbedded(v, `${path}/${i}`, false, errors, notes));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    if (!root && typeof (node as Record<string, unknown>)['@odata.type'] === 'string') {
      this.validateInto(node, path, errors, notes);
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      this.validateEmbedded(
        v,
        `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        false,
        errors,
        notes,
      );
    }
  }

  private compile(file: string, pointer: string): ValidateFunction {
    const key = `${DMTF_BASE}${file}#${pointer}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      this.addClosure(file);
      fn = this.ajv.getSchema(key);
      if (!fn) throw new Error(`schema ${file}#${pointer} did not compile`);
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private fileSchema(file: string): Record<string, unknown> {
    this.addClosure(file);
    return this.added.get(file)!;
  }

  /** Adds a file and everything it refers to (transitively) that is not in ajv yet. */
  private addClosure(first: string): void {
    const todo = [first];
    while (todo.length > 0) {
      const file = todo.pop()!;
      if (this.added.has(file) || !this.store.has(file)) continue;
      const schema = this.store.read(file);
      this.ajv.addSchema(schema);
      this.added.set(file, schema);
      for (const next of SchemaStore.referencedFiles(schema)) todo.push(next);
    }
  }
}

/** True when `dir` holds the bundle; otherwise says so on stderr (tests skip loudly). */
export function schemasAvailable(dir: string = SCHEMA_DIR): boolean {
  if (schemaDirUsable(dir)) return true;
  console.warn(`redfish conformance: DMTF JSON schemas not found in ${dir}: schema checks skipped`);
  return false;
}

export type { ErrorObject };
