/**
 * PropertySet / PropertyValue / PropertySetList and DataSet, both ways (spec §6.4.8–6.4.13).
 * Properties carry the engineering metadata of births (units, ranges, Quality); the DataSet is
 * kept minimal: basic-type columns, a null cell as an empty DataSetValue (as Tahu writes it).
 */
import { ErrorCode, Orv3Error } from '../../../errors.js';
import type { BasicTypeName, SpCell, SpDataSet, SpPropertySet, SpPropertyValue } from './model.js';
import {
  DataType,
  dataTypeName,
  type DataTypeName,
  type WireDataSet,
  type WireDataSetValue,
  type WirePropertySet,
  type WirePropertyValue,
} from './schema.js';
import {
  badPayload,
  cannotEncode,
  checkUtf8,
  decodeScalar,
  encodeScalar,
  has,
  presentValueKeys,
  safeFromWireLong,
  toWireLong,
} from './values.js';

/** Nested property sets beyond this are refused: bounded recursion on hostile input. */
export const MAX_PROPERTY_DEPTH = 8;

const BASIC_TYPES: ReadonlySet<DataTypeName> = new Set<BasicTypeName>([
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Float',
  'Double',
  'Boolean',
  'String',
  'DateTime',
  'Text',
]);
const PROPERTY_TYPES: ReadonlySet<DataTypeName> = new Set([
  ...BASIC_TYPES,
  'PropertySet',
  'PropertySetList',
]);

export function unsupported(at: string, message: string): Orv3Error {
  return new Orv3Error(ErrorCode.SparkplugUnsupported, `Sparkplug payload, ${at}: ${message}`, {
    at,
  });
}

// ---- PropertySet ------------------------------------------------------------------------------

export function propertySetToWire(set: SpPropertySet, at: string, depth = 0): WirePropertySet {
  if (depth > MAX_PROPERTY_DEPTH) throw cannotEncode(at, 'property sets nested too deep');
  const keys: string[] = [];
  const values: WirePropertyValue[] = [];
  for (const [key, value] of set) {
    keys.push(checkUtf8(key, at));
    values.push(propertyValueToWire(value, `${at}.${key}`, depth));
  }
  return { keys, values };
}

function propertyValueToWire(v: SpPropertyValue, at: string, depth: number): WirePropertyValue {
  if (!PROPERTY_TYPES.has(v.type)) throw cannotEncode(at, `${v.type} is not a property type`);
  const w: WirePropertyValue = { type: DataType[v.type] };
  if (v.value === null) {
    w.is_null = true;
  } else if (v.type === 'PropertySet') {
    w.propertyset_value = propertySetToWire(v.value, at, depth + 1);
  } else if (v.type === 'PropertySetList') {
    w.propertysets_value = {
      propertyset: v.value.map((s, i) => propertySetToWire(s, `${at}[${i}]`, depth + 1)),
    };
  } else {
    Object.assign(w, encodeScalar(v.type, v.value, at));
  }
  return w;
}

export function propertySetFromWire(w: WirePropertySet, at: string, depth = 0): SpPropertySet {
  if (depth > MAX_PROPERTY_DEPTH) throw badPayload(at, 'property sets nested too deep');
  const keys = has(w, 'keys') ? w.keys! : [];
  const values = has(w, 'values') ? w.values! : [];
  if (keys.length !== values.length) {
    throw badPayload(at, `${keys.length} keys but ${values.length} values`);
  }
  const out = new Map<string, SpPropertyValue>();
  keys.forEach((key, i) => {
    if (out.has(key)) throw badPayload(at, `duplicate property key '${key}'`);
    out.set(key, propertyValueFromWire(values[i]!, `${at}.${key}`, depth));
  });
  return out;
}

function propertyValueFromWire(w: WirePropertyValue, at: string, depth: number): SpPropertyValue {
  if (!has(w, 'type')) throw badPayload(at, 'PropertyValue without a type');
  const type = dataTypeName(w.type!);
  if (type === undefined || !PROPERTY_TYPES.has(type)) {
    throw badPayload(at, `type ${w.type} is not allowed in a PropertyValue`);
  }
  if (has(w, 'is_null') && w.is_null === true) return { type, value: null } as SpPropertyValue;
  const keys = presentValueKeys(w);
  if (keys.includes('extension_value')) throw unsupported(at, 'PropertyValue extension_value');
  if (keys.length !== 1) throw badPayload(at, `${keys.length} value fields in a PropertyValue`);
  if (type === 'PropertySet') {
    if (!has(w, 'propertyset_value')) throw badPayload(at, 'PropertySet without propertyset_value');
    return { type, value: propertySetFromWire(w.propertyset_value!, at, depth + 1) };
  }
  if (type === 'PropertySetList') {
    if (!has(w, 'propertysets_value')) throw badPayload(at, 'PropertySetList without its value');
    const list = w.propertysets_value!;
    const sets = has(list, 'propertyset') ? list.propertyset! : [];
    return {
      type,
      value: sets.map((s, i) => propertySetFromWire(s, `${at}[${i}]`, depth + 1)),
    };
  }
  return { type, value: decodeScalar(type, w, at) } as SpPropertyValue;
}

// ---- DataSet ----------------------------------------------------------------------------------

export function dataSetToWire(d: SpDataSet, at: string): WireDataSet {
  const n = d.types.length;
  if (d.columns.length !== n) {
    throw cannotEncode(at, `${d.columns.length} columns but ${n} types`);
  }
  for (const t of d.types) {
    if (!BASIC_TYPES.has(t)) throw cannotEncode(at, `${t} is not a DataSet column type`);
  }
  const rows = d.rows.map((row, r) => {
    if (row.length !== n) throw cannotEncode(at, `row ${r} has ${row.length} cells, not ${n}`);
    const elements = row.map((cell, c): WireDataSetValue => {
      if (cell === null) return {};
      return encodeScalar(d.types[c]!, cell, `${at}.rows[${r}][${c}]`) as WireDataSetValue;
    });
    return { elements };
  });
  return {
    num_of_columns: toWireLong(BigInt(n)),
    columns: d.columns.map((c) => checkUtf8(c, at)),
    types: d.types.map((t) => DataType[t]),
    rows,
  };
}

export function dataSetFromWire(w: WireDataSet, at: string): SpDataSet {
  if (!has(w, 'num_of_columns')) throw badPayload(at, 'DataSet without num_of_columns');
  const n = safeFromWireLong(w.num_of_columns!, `${at}.num_of_columns`);
  const columns = has(w, 'columns') ? w.columns! : [];
  const codes = has(w, 'types') ? w.types! : [];
  if (columns.length !== n || codes.length !== n) {
    throw badPayload(at, `num_of_columns ${n}, ${columns.length} columns, ${codes.length} types`);
  }
  const types = codes.map((code) => {
    const t = dataTypeName(code);
    if (t === undefined || !BASIC_TYPES.has(t)) {
      throw badPayload(at, `type ${code} is not a DataSet column type`);
    }
    return t as BasicTypeName;
  });
  const wireRows = has(w, 'rows') ? w.rows! : [];
  const rows = wireRows.map((row, r) => {
    const elements = has(row, 'elements') ? row.elements! : [];
    if (elements.length !== n) throw badPayload(at, `row ${r} has ${elements.length} elements`);
    return elements.map((el, c): SpCell => {
      const cellAt = `${at}.rows[${r}][${c}]`;
      const keys = presentValueKeys(el);
      if (keys.length === 0) return null;
      if (keys.includes('extension_value')) throw unsupported(cellAt, 'DataSetValue extension');
      if (keys.length > 1) throw badPayload(cellAt, `${keys.length} value fields`);
      return decodeScalar(types[c]!, el, cellAt) as SpCell;
    });
  });
  return { columns: [...columns], types, rows };
}
