/** Registries: the DMTF message registries this service's messages and events come from. */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { notFound } from '../http/errors.js';
import { USED_MESSAGES, type RegistryPrefix } from '../messages.js';
import { odataType } from '../schemas.js';
import { collection, ROOT } from './util.js';

const BASE = `${ROOT}/Registries`;
const PREFIXES = Object.keys(USED_MESSAGES) as RegistryPrefix[];

function registryFile(req: Req): JsonObject {
  const id = req.params['RegistryId']!;
  if (!(PREFIXES as string[]).includes(id)) throw notFound('MessageRegistryFile', id);
  const full = req.ctx.registries.registryId(id as RegistryPrefix);
  const version = full.split('.').slice(1, 3).join('.');
  return {
    '@odata.id': `${BASE}/${id}`,
    '@odata.type': odataType('MessageRegistryFile'),
    Id: id,
    Name: `${id} Message Registry File`,
    Registry: `${id}.${version}`,
    Languages: ['en'],
    Location: [
      { Language: 'en', PublicationUri: `https://redfish.dmtf.org/registries/${full}.json` },
    ],
  };
}

export const registryRoutes: RouteDef[] = [
  {
    path: BASE,
    entity: 'MessageRegistryFileCollection',
    get: () =>
      collection(
        BASE,
        'MessageRegistryFileCollection',
        'Registry File Collection',
        PREFIXES.map((p) => `${BASE}/${p}`),
      ),
  },
  { path: `${BASE}/{RegistryId}`, entity: 'MessageRegistryFile', get: registryFile },
];
