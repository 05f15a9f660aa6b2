/**
 * The HTTPS certificate: loaded from the config's PEM files, or generated self-signed at start
 * (Node has no X.509 writer; `openssl` on PATH makes it, and GenerateCSR's requests). The
 * CertificateService's ReplaceCertificate swaps it live through `onReplace`.
 */
import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, Orv3Error } from '../../errors.js';

export interface TlsMaterial {
  readonly certPem: string;
  readonly keyPem: string;
  /** True when generated at start (self-signed). */
  readonly generated: boolean;
}

function run(cmd: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd}: ${stderr.trim() || err.message}`)) : resolve(stdout),
    );
    // Always closed: a tool that unexpectedly prompts gets EOF instead of waiting for the timeout.
    child.stdin?.end(input ?? '');
  });
}

const tlsError = (msg: string): Orv3Error => new Orv3Error(ErrorCode.RedfishTls, msg);

/** Checks that a PEM certificate and key belong together; returns the parsed certificate. */
export function checkPair(certPem: string, keyPem: string): X509Certificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (e) {
    throw tlsError(`certificate: not a PEM X.509 certificate (${(e as Error).message})`);
  }
  let ok: boolean;
  try {
    ok = cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch (e) {
    throw tlsError(`private key: not a PEM private key (${(e as Error).message})`);
  }
  if (!ok) throw tlsError('certificate and private key do not match');
  return cert;
}

export function readTlsFiles(certFile: string, keyFile: string): TlsMaterial {
  let certPem: string;
  let keyPem: string;
  try {
    certPem = readFileSync(certFile, 'utf8');
    keyPem = readFileSync(keyFile, 'utf8');
  } catch (e) {
    throw tlsError(`cannot read TLS certificate/key: ${(e as Error).message}`);
  }
  checkPair(certPem, keyPem);
  return { certPem, keyPem, generated: false };
}

const sanEntry = (h: string): string => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`);

/** A fresh self-signed P-256 certificate for the given host names / addresses. */
export async function generateSelfSigned(
  hosts: readonly string[],
  days = 397,
): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'orv3gw-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const san = [...new Set(['localhost', '127.0.0.1', ...hosts])].map(sanEntry).join(',');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      String(days),
      '-subj',
      '/O=orv3gw/CN=orv3gw',
      '-addext',
      `subjectAltName=${san}`,
    ]).catch((e: Error) => {
      throw tlsError(
        `no TLS certificate configured and self-signed generation failed (${e.message}); ` +
          'set redfish.tls.certFile/keyFile in the config file',
      );
    });
    return {
      certPem: await readFile(cert, 'utf8'),
      keyPem: await readFile(key, 'utf8'),
      generated: true,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface CsrRequest {
  readonly commonName: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly city?: string;
  readonly state?: string;
  readonly country?: string;
  readonly alternativeNames?: readonly string[];
}

const dnEscape = (s: string): string => s.replace(/[/\\=+,]/g, (c) => `\\${c}`);

/** The service's certificate and its life: replacement, and CSRs signed by a pending key. */
export class CertificateStore {
  private pendingKeyPem: string | undefined;
  private readonly listeners = new Set<(m: TlsMaterial) => void>();

  constructor(private material: TlsMaterial | undefined) {}

  get current(): TlsMaterial | undefined {
    return this.material;
  }

  onReplace(l: (m: TlsMaterial) => void): void {
    this.listeners.add(l);
  }

  /**
   * Installs a new certificate. `keyPem` may be omitted when the certificate answers the last
   * GenerateCSR (its key was made here and never left the service).
   */
  replace(certPem: string, keyPem: string | undefined): void {
    const key = keyPem ?? this.pendingKeyPem;
    if (key === undefined) throw tlsError('no private key: include it or run GenerateCSR first');
    checkPair(certPem, key);
    this.material = { certPem, keyPem: key, generated: false };
    if (keyPem === undefined) this.pendingKeyPem = undefined;
    for (const l of this.listeners) l(this.material);
  }

  async generateCsr(r: CsrRequest): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'orv3gw-csr-'));
    try {
      const key = join(dir, 'key.pem');
      const csr = join(dir, 'req.csr');
      const dn = [
        r.country ? `/C=${dnEscape(r.country)}` : '',
        r.state ? `/ST=${dnEscape(r.state)}` : '',
        r.city ? `/L=${dnEscape(r.city)}` : '',
        r.organization ? `/O=${dnEscape(r.organization)}` : '',
        r.organizationalUnit ? `/OU=${dnEscape(r.organizationalUnit)}` : '',
        `/CN=${dnEscape(r.commonName)}`,
      ].join('');
      const args = ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
      args.push('-nodes', '-keyout', key, '-out', csr, '-subj', dn);
      if (r.alternativeNames?.length)
        args.push('-addext', `subjectAltName=${r.alternativeNames.map(sanEntry).join(',')}`);
      await run('openssl', args);
      this.pendingKeyPem = await readFile(key, 'utf8');
      return await readFile(csr, 'utf8');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
