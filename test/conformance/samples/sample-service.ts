/**
 * A minimal Redfish service over plain HTTP on 127.0.0.1 that serves a fixed tree (samples/tree)
 * the way DSP0266 asks: ETag and OData-Version headers, anonymous service root / odata /
 * $metadata, Basic and session auth, 401 with a Base-registry error body. The walker tests run
 * against it, so the tools are proven on a known-good service (and on deliberately broken
 * variants) independently of the gateway.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseODataType } from '../support/odata-type.js';
import type { Payload } from './tree.js';

export interface SampleServiceOptions {
  readonly tree: Map<string, Payload>;
  readonly user?: string;
  readonly password?: string;
  /** URIs answered without an ETag header (to prove the walker notices). */
  readonly noEtag?: ReadonlySet<string>;
  /** Namespaces left out of $metadata. */
  readonly metadataOmits?: ReadonlySet<string>;
}

export interface SampleService {
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** GETs served, by URI (the walker must not write, nor fetch anything twice). */
  readonly gets: Map<string, number>;
  readonly writes: string[];
  close(): Promise<void>;
}

const ANONYMOUS = new Set([
  '/redfish/v1',
  '/redfish/v1/',
  '/redfish/v1/odata',
  '/redfish/v1/$metadata',
]);
const TOKEN = 'sample-token';
const SESSION_URI = '/redfish/v1/SessionService/Sessions/s1';

function metadata(tree: Map<string, Payload>, omit: ReadonlySet<string>): string {
  const byNs = new Map<string, Set<string>>();
  for (const p of tree.values()) {
    const t = parseODataType(p['@odata.type']);
    if (!t) continue;
    const set = byNs.get(t.namespace) ?? new Set<string>([t.namespace]);
    set.add(t.qualifiedNamespace);
    byNs.set(t.namespace, set);
  }
  const refs = [...byNs].map(
    ([ns, includes]) =>
      `  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/${ns}_v1.xml">\n` +
      [...includes]
        .filter((i) => !omit.has(i))
        .map((i) => `    <edmx:Include Namespace="${i}"/>\n`)
        .join('') +
      '  </edmx:Reference>\n',
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">\n' +
    refs.join('') +
    '  <edmx:DataServices><Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">' +
    '<EntityContainer Name="Service" Extends="ServiceRoot.v1_20_0.ServiceContainer"/></Schema></edmx:DataServices>\n' +
    '</edmx:Edmx>\n'
  );
}

const NO_SESSION = {
  error: {
    code: 'Base.1.22.NoValidSession',
    message: 'There is no valid session established with the implementation.',
    '@Message.ExtendedInfo': [
      {
        '@odata.type': '#Message.v1_3_0.Message',
        MessageId: 'Base.1.22.NoValidSession',
        Message: 'There is no valid session established with the implementation.',
        MessageSeverity: 'Critical',
        Resolution: 'Establish a session before attempting any operations.',
      },
    ],
  },
};

export async function startSampleService(o: SampleServiceOptions): Promise<SampleService> {
  const user = o.user ?? 'admin';
  const password = o.password ?? 'sample-password';
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const gets = new Map<string, number>();
  const writes: string[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'odata-version': '4.0',
        'content-type': 'application/json',
        ...headers,
      });
      res.end(text);
    };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && path === '/redfish/v1/SessionService/Sessions') {
        writes.push(`POST ${path}`);
        const b = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
        if (b.UserName !== user || b.Password !== password) return send(401, NO_SESSION);
        return send(201, o.tree.get(SESSION_URI), { 'x-auth-token': TOKEN, location: SESSION_URI });
      }
      const authorised =
        req.headers.authorization === basic || req.headers['x-auth-token'] === TOKEN;
      if (!ANONYMOUS.has(path) && !authorised)
        return send(401, NO_SESSION, { 'www-authenticate': 'Basic realm="sample"' });
      if (req.method === 'DELETE' && path === SESSION_URI) {
        writes.push(`DELETE ${path}`);
        return send(204, '');
      }
      if (req.method !== 'GET') {
        writes.push(`${req.method} ${path}`);
        return send(405, {
          error: { code: 'Base.1.22.OperationNotAllowed', message: 'not allowed' },
        });
      }
      gets.set(path, (gets.get(path) ?? 0) + 1);
      if (path === '/redfish/v1/$metadata') {
        return send(200, metadata(o.tree, o.metadataOmits ?? new Set()), {
          'content-type': 'application/xml',
        });
      }
      if (path === '/redfish/v1/odata') {
        const value = ['AccountService', 'Chassis', 'Managers', 'SessionService'].map((name) => ({
          name,
          kind: 'Singleton',
          url: `/redfish/v1/${name}`,
        }));
        return send(200, { '@odata.context': '/redfish/v1/$metadata', value });
      }
      const payload = o.tree.get(path);
      if (!payload)
        return send(404, { error: { code: 'Base.1.22.ResourceNotFound', message: 'not found' } });
      const text = JSON.stringify(payload);
      const etag = `W/"${createHash('sha1').update(text).digest('hex').slice(0, 16)}"`;
      return send(200, text, o.noEtag?.has(path) ? {} : { etag });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    user,
    password,
    gets,
    writes,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
