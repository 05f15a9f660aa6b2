/** A Map that refuses mutation once built, so lookups on frozen maps stay frozen at run time. */
export class FrozenMap<K, V> extends Map<K, V> {
  private sealed = false;

  constructor(entries: Iterable<readonly [K, V]>) {
    super();
    for (const [k, v] of entries) super.set(k, v);
    this.sealed = true;
    Object.freeze(this);
  }

  override set(key: K, value: V): this {
    if (this.sealed) throw new TypeError('FrozenMap is read-only');
    return super.set(key, value);
  }

  override delete(_key: K): boolean {
    throw new TypeError('FrozenMap is read-only');
  }

  override clear(): void {
    throw new TypeError('FrozenMap is read-only');
  }
}

/** Freezes plain objects and arrays recursively; Maps and typed arrays are left as they are. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (value instanceof Map || ArrayBuffer.isView(value)) return value;
  for (const key of Object.keys(value)) {
    deepFreeze((value as Record<string, unknown>)[key]);
  }
  return Object.freeze(value);
}
