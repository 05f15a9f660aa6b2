/**
 * Builders for the handwritten sample tree (tree.ts): every resource gets `@odata.id`,
 * `@odata.type`, `Id` (its last URI segment) and `Name` the same way.
 */

export type Payload = Record<string, unknown>;
export type Put = (p: Payload) => void;

export const V1 = '/redfish/v1';
export const CH = `${V1}/Chassis/shelf0`;
export const MGR = `${V1}/Managers/gw`;
export const PS = `${V1}/PowerEquipment/PowerShelves/shelf0`;
export const link = (uri: string): Payload => ({ '@odata.id': uri });
export const status = { State: 'Enabled', Health: 'OK' };
export const reading = (r: number, src?: string): Payload =>
  src ? { Reading: r, DataSourceUri: src } : { Reading: r };

/** Adds `@odata.id`, `@odata.type`, `Id` (the last URI segment) and `Name`. */
export function resource(uri: string, type: string, name: string, body: Payload): Payload {
  return { '@odata.id': uri, '@odata.type': type, Id: uri.split('/').pop(), Name: name, ...body };
}

export function collection(uri: string, schema: string, name: string, members: string[]): Payload {
  return {
    '@odata.id': uri,
    '@odata.type': `#${schema}.${schema}`,
    Name: name,
    Members: members.map(link),
    'Members@odata.count': members.length,
  };
}
