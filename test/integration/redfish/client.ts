/**
 * A small Redfish test client over node:http(s) with keep-alive: JSON in and out, Basic or
 * session auth, and the raw status and headers for assertions.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RedfishFixture } from '../../support/redfish-fixture.js';

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // Test code reads arbitrary payload fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export type Cred = { user: string; password: string } | { token: string } | null;

export class Client {
  private readonly agent: HttpAgent;
  constructor(private readonly f: Pick<RedfishFixture, 'url' | 'ca'>) {
    this.agent = f.url.startsWith('https:')
      ? new HttpsAgent({ keepAlive: true, ...(f.ca ? { ca: f.ca } : {}) })
      : new HttpAgent({ keepAlive: true });
  }

  close(): void {
    this.agent.destroy();
  }

  request(
    method: string,
    path: string,
    o: { cred?: Cred; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Res> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.cred && 'token' in o.cred) headers['X-Auth-Token'] = o.cred.token;
    else if (o.cred)
      headers['Authorization'] =
        'Basic ' + Buffer.from(`${o.cred.user}:${o.cred.password}`).toString('base64');
    const data = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    if (data !== undefined) headers['Content-Type'] ??= 'application/json';
    const url = new URL(path, this.f.url);
    const req = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const r = req(url, { method, headers, agent: this.agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      r.on('error', reject);
      r.end(data);
    });
  }

  get(path: string, cred?: Cred, headers?: Record<string, string>): Promise<Res> {
    return this.request('GET', path, { cred: cred ?? null, ...(headers ? { headers } : {}) });
  }

  /** Logs in; returns the session token and its URI. */
  async login(user: string, password: string): Promise<{ token: string; uri: string }> {
    const r = await this.request('POST', '/redfish/v1/SessionService/Sessions', {
      body: { UserName: user, Password: password },
    });
    if (r.status !== 201) throw new Error(`login ${user}: ${r.status} ${r.text}`);
    return { token: r.headers['x-auth-token'] as string, uri: r.headers['location'] as string };
  }
}

/** MessageIds of a Redfish error body, without registry versions (`Base.MalformedJSON`). */
export function messageIds(r: Res): string[] {
  const info = (r.json?.error?.['@Message.ExtendedInfo'] ?? []) as { MessageId: string }[];
  return info.map((m) => m.MessageId.replace(/^(\w+)\.\d+\.\d+\.\d+\./, '$1.'));
}
