/**
 * A small Redfish HTTP client for the conformance tools and the bench: one keep-alive agent
 * (bounded sockets), the service's CA trusted when given, Basic or session (X-Auth-Token)
 * credentials. Responses are read whole; nothing here retries or follows redirects, so what a
 * check sees is what the service sent.
 */
import http from 'node:http';
import https from 'node:https';

export interface ClientOptions {
  /** `https://127.0.0.1:8443` (scheme, host, port; a path is ignored). */
  readonly url: string;
  /** PEM to trust (a self-signed service certificate). */
  readonly ca?: string;
  /** Skip certificate verification (another vendor's self-signed service without its CA). */
  readonly insecure?: boolean;
  readonly maxSockets?: number;
  readonly timeoutMs?: number;
}

export type Credentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }
  | { readonly kind: 'session'; readonly user: string; readonly password: string };

export interface Response {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

export interface RequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Send no credentials even when the client has some (the 401 checks). */
  readonly anonymous?: boolean;
}

export class RedfishClient {
  readonly origin: string;
  private readonly agent: http.Agent;
  private readonly isHttps: boolean;
  private auth: Record<string, string> = {};
  /** The session this client created, deleted by logout(). */
  session: { token: string; uri: string | null } | null = null;

  constructor(private readonly opts: ClientOptions) {
    const u = new URL(opts.url);
    this.origin = u.origin;
    this.isHttps = u.protocol === 'https:';
    const common = { keepAlive: true, maxSockets: opts.maxSockets ?? 4 };
    this.agent = this.isHttps
      ? new https.Agent({
          ...common,
          ...(opts.ca ? { ca: opts.ca } : {}),
          rejectUnauthorized: !opts.insecure,
        })
      : new http.Agent(common);
  }

  /** Basic: a header on every request. Session: POST to the Sessions collection first. */
  async authenticate(c: Credentials): Promise<void> {
    if (c.kind === 'basic') {
      const token = Buffer.from(`${c.user}:${c.password}`).toString('base64');
      this.auth = { authorization: `Basic ${token}` };
    } else if (c.kind === 'session') {
      const r = await this.request('POST', '/redfish/v1/SessionService/Sessions', {
        body: { UserName: c.user, Password: c.password },
        anonymous: true,
      });
      const token = r.headers['x-auth-token'];
      if ((r.status !== 201 && r.status !== 200) || typeof token !== 'string') {
        throw new Error(`session login failed: HTTP ${r.status} ${r.text.slice(0, 200)}`);
      }
      const location = r.headers.location;
      this.session = { token, uri: location ? new URL(location, this.origin).pathname : null };
      this.auth = { 'x-auth-token': token };
    } else {
      this.auth = {};
    }
  }

  /** Deletes the session this client created, if any; errors are the caller's to ignore. */
  async logout(): Promise<void> {
    const s = this.session;
    if (!s?.uri) return;
    await this.request('DELETE', s.uri);
    this.session = null;
  }

  get(path: string, options: RequestOptions = {}): Promise<Response> {
    return this.request('GET', path, options);
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'odata-version': '4.0',
      ...(options.anonymous ? {} : this.auth),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    };
    const send = this.isHttps ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(
        new URL(path, this.origin),
        { method, headers, agent: this.agent, timeout: this.opts.timeoutMs ?? 10_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in time`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** JSON body or null (not JSON, or empty). */
export function jsonOf(r: Response): unknown {
  try {
    return r.text === '' ? null : (JSON.parse(r.text) as unknown);
  } catch {
    return null;
  }
}
