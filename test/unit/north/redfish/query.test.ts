import { describe, expect, it } from 'vitest';
import {
  etagMatches,
  expandPayload,
  parseQuery,
  selectPayload,
} from '../../../../src/north/redfish/http/query.js';
import { RedfishError } from '../../../../src/north/redfish/http/errors.js';
import type { JsonObject } from '../../../../src/north/redfish/http/route.js';

const q = (s: string, m = 'GET') => parseQuery(new URLSearchParams(s), m);
const status = (f: () => unknown): number => {
  try {
    f();
  } catch (e) {
    return (e as RedfishError).status;
  }
  return 0;
};

describe('query parameters', () => {
  it('accepts what ProtocolFeaturesSupported declares', () => {
    expect(q('only').only).toBe(true);
    expect(q('$select=A,B/C').select).toEqual([['A'], ['B', 'C']]);
    expect(q('$expand=*($levels=2)').expand).toEqual({ kind: '*', levels: 2 });
    expect(q('unknown=1')).toEqual({ only: false, select: undefined, expand: undefined });
  });

  it('501 for undeclared $ parameters and excerpt; 400 for bad values and combinations', () => {
    expect(status(() => q('$filter=x'))).toBe(501);
    expect(status(() => q('excerpt'))).toBe(501);
    expect(status(() => q('$expand=x'))).toBe(400);
    expect(status(() => q('$expand=.($levels=4)'))).toBe(400);
    expect(status(() => q('only&$select=A'))).toBe(400);
    expect(status(() => q('$select=A', 'PATCH'))).toBe(400);
  });

  it('$select keeps the named paths and the @odata annotations', () => {
    const body: JsonObject = {
      '@odata.id': '/x',
      Name: 'n',
      Status: { Health: 'OK', State: 'Enabled' },
      Other: 1,
    };
    expect(selectPayload(body, [['Status', 'Health']])).toEqual({
      '@odata.id': '/x',
      Status: { Health: 'OK' },
    });
  });

  it('$expand=. replaces references outside Links; ~ only inside Links', async () => {
    const body: JsonObject = {
      '@odata.id': '/a',
      Child: { '@odata.id': '/b' },
      Links: { Peer: { '@odata.id': '/c' } },
    };
    const fetch = async (u: string): Promise<JsonObject> => ({ '@odata.id': u, Got: true });
    const dot = await expandPayload(body, { kind: '.', levels: 1 }, fetch);
    expect(dot['Child']).toEqual({ '@odata.id': '/b', Got: true });
    expect(dot['Links']).toEqual(body['Links']);
    const tilde = await expandPayload(body, { kind: '~', levels: 1 }, fetch);
    expect(tilde['Child']).toEqual(body['Child']);
    expect((tilde['Links'] as JsonObject)['Peer']).toEqual({ '@odata.id': '/c', Got: true });
  });

  it('ETag matching honours weak tags, lists and *', () => {
    expect(etagMatches('W/"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('*', 'W/"abc"')).toBe(true);
    expect(etagMatches('W/"abd"', 'W/"abc"')).toBe(false);
  });
});
