/**
 * ajv errors → one readable line each. DMTF wraps most properties in `anyOf: [{$ref}, {null}]`
 * and links in `anyOf: [idRef, embedded resource]`, so a single wrong value yields three or
 * four raw errors; we keep the one that says what is wrong.
 */
import type { ErrorObject } from 'ajv';
import { EMBEDDED_RESOURCE } from './schema-store.js';

const MAX_VALUE_CHARS = 60;

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function isLinkWrapper(e: ErrorObject): boolean {
  const anyOf = (e.parentSchema as { anyOf?: unknown[] } | undefined)?.anyOf;
  return (
    e.keyword === 'anyOf' &&
    Array.isArray(anyOf) &&
    (anyOf[1] as { description?: string } | undefined)?.description ===
      EMBEDDED_RESOURCE.description
  );
}

function line(e: ErrorObject, path: string): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${path}: unknown property "${String(p.additionalProperty)}"`;
    case 'required':
      return `${path}: missing required property "${String(p.missingProperty)}"`;
    case 'enum':
      return `${path}: ${show(e.data)} is not one of ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `${path}: ${show(e.data)} must be ${String(p.type)}`;
    case 'anyOf':
      return isLinkWrapper(e)
        ? `${path}: must be a link {"@odata.id"} or an expanded resource with @odata.type, got ${show(e.data)}`
        : `${path}: ${show(e.data)} matches none of the allowed schemas`;
    default:
      return `${path}: ${show(e.data)} ${e.message ?? `fails ${e.keyword}`}`;
  }
}

/** `prefix` is the JSON pointer of the validated object inside the payload ('' for the root). */
export function formatErrors(errors: readonly ErrorObject[], prefix: string): string[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const out: string[] = [];
  for (const [instancePath, list] of byPath) {
    const path = `${prefix}${instancePath}` || '/';
    const link = list.find(isLinkWrapper);
    if (link) {
      out.push(line(link, path));
      continue;
    }
    const specific = list.filter((e) => e.keyword !== 'anyOf');
    // The `{type: null}` branch of a nullable property fails whenever the real branch does.
    const useful = specific.filter(
      (e) => !(e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null'),
    );
    if (useful.length > 0) {
      for (const e of useful) out.push(line(e, path));
      continue;
    }
    // Only wrapper noise here: a deeper error says what is actually wrong.
    const deeper = [...byPath.keys()].some((k) => k.startsWith(`${instancePath}/`));
    if (!deeper) for (const e of specific.length > 0 ? specific : list) out.push(line(e, path));
  }
  return [...new Set(out)];
}
