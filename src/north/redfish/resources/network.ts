/**
 * Managers/{id}/NetworkProtocol (HTTPS with its certificate collection) and EthernetInterfaces
 * (the host's interfaces, from the operating system).
 */
import { networkInterfaces } from 'node:os';
import { X509Certificate } from 'node:crypto';
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { notFound } from '../http/errors.js';
import { odataType } from '../schemas.js';
import { checkManager } from './managers.js';
import { collection, isoTime, link, ROOT, status } from './util.js';

const CERT_ID = '1';

function networkProtocol(req: Req): JsonObject {
  const uri = `${checkManager(req)}/NetworkProtocol`;
  const { info } = req.ctx;
  const https = info.scheme === 'https';
  return {
    '@odata.id': uri,
    '@odata.type': odataType('ManagerNetworkProtocol'),
    Id: 'NetworkProtocol',
    Name: 'Manager Network Protocol',
    HostName: info.hostName,
    FQDN: info.hostName,
    HTTPS: {
      ProtocolEnabled: https,
      Port: https ? info.port : null,
      Certificates: link(`${uri}/HTTPS/Certificates`),
    },
    HTTP: { ProtocolEnabled: !https, Port: https ? null : info.port },
    Status: status('Enabled', 'OK'),
  };
}

function certificates(req: Req): JsonObject {
  const uri = `${checkManager(req)}/NetworkProtocol/HTTPS/Certificates`;
  const has = req.ctx.certificates.current !== undefined;
  return collection(
    uri,
    'CertificateCollection',
    'HTTPS certificates',
    has ? [`${uri}/${CERT_ID}`] : [],
  );
}

const dn = (s: string): JsonObject => {
  const out: JsonObject = {};
  const map: Record<string, string> = {
    CN: 'CommonName',
    O: 'Organization',
    OU: 'OrganizationalUnit',
    L: 'City',
    ST: 'State',
    C: 'Country',
  };
  for (const line of s.split('\n')) {
    const [k, ...v] = line.split('=');
    const name = map[k ?? ''];
    if (name) out[name] = v.join('=');
  }
  return out;
};

export function certificatePayload(uri: string, pem: string, id: string): JsonObject {
  const c = new X509Certificate(pem);
  return {
    '@odata.id': uri,
    '@odata.type': odataType('Certificate'),
    Id: id,
    Name: 'HTTPS certificate',
    CertificateString: pem,
    CertificateType: 'PEM',
    Issuer: dn(c.issuer),
    Subject: dn(c.subject),
    ValidNotBefore: isoTime(Date.parse(c.validFrom)),
    ValidNotAfter: isoTime(Date.parse(c.validTo)),
    SerialNumber: c.serialNumber,
    Fingerprint: c.fingerprint256,
    FingerprintHashAlgorithm: 'TPM_ALG_SHA256',
  };
}

function certificate(req: Req): JsonObject {
  const base = `${checkManager(req)}/NetworkProtocol/HTTPS/Certificates`;
  const m = req.ctx.certificates.current;
  if (!m || req.params['CertificateId'] !== CERT_ID)
    throw notFound('Certificate', req.params['CertificateId']!);
  return certificatePayload(`${base}/${CERT_ID}`, m.certPem, CERT_ID);
}

export const httpsCertificateUri = (req: Req): string =>
  `${ROOT}/Managers/${req.ctx.info.managerId}/NetworkProtocol/HTTPS/Certificates/${CERT_ID}`;

/** The host's non-internal interfaces with a MAC address, by name. */
function interfaces(): Map<string, NonNullable<ReturnType<typeof networkInterfaces>[string]>> {
  const out = new Map<string, NonNullable<ReturnType<typeof networkInterfaces>[string]>>();
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (!addrs || addrs.every((a) => a.internal)) continue;
    if (/^[A-Za-z0-9_.-]+$/.test(name)) out.set(name, addrs);
  }
  return out;
}

function ethernet(req: Req): JsonObject {
  const base = `${checkManager(req)}/EthernetInterfaces`;
  const id = req.params['EthernetInterfaceId']!;
  const addrs = interfaces().get(id);
  if (!addrs) throw notFound('EthernetInterface', id);
  const v4 = addrs.filter((a) => a.family === 'IPv4');
  const v6 = addrs.filter((a) => a.family === 'IPv6');
  return {
    '@odata.id': `${base}/${id}`,
    '@odata.type': odataType('EthernetInterface'),
    Id: id,
    Name: `Interface ${id}`,
    MACAddress: addrs[0]!.mac,
    InterfaceEnabled: true,
    LinkStatus: 'LinkUp',
    HostName: req.ctx.info.hostName,
    FQDN: req.ctx.info.hostName,
    IPv4Addresses: v4.map((a) => ({
      Address: a.address,
      SubnetMask: a.netmask,
      AddressOrigin: 'Static',
      Gateway: '0.0.0.0',
    })),
    IPv6Addresses: v6.map((a) => ({
      Address: a.address,
      PrefixLength: Number(a.cidr?.split('/')[1] ?? 64),
      AddressOrigin: 'Static',
      AddressState: 'Preferred',
    })),
    Status: status('Enabled', 'OK'),
  };
}

export const networkRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Managers/{ManagerId}/NetworkProtocol`,
    entity: 'ManagerNetworkProtocol',
    get: networkProtocol,
  },
  {
    path: `${ROOT}/Managers/{ManagerId}/NetworkProtocol/HTTPS/Certificates`,
    entity: 'CertificateCollection',
    get: certificates,
  },
  {
    path: `${ROOT}/Managers/{ManagerId}/NetworkProtocol/HTTPS/Certificates/{CertificateId}`,
    entity: 'Certificate',
    get: certificate,
  },
  {
    path: `${ROOT}/Managers/{ManagerId}/EthernetInterfaces`,
    entity: 'EthernetInterfaceCollection',
    get: (req) => {
      const base = `${checkManager(req)}/EthernetInterfaces`;
      return collection(
        base,
        'EthernetInterfaceCollection',
        'Ethernet Interfaces',
        [...interfaces().keys()].map((n) => `${base}/${n}`),
      );
    },
  },
  {
    path: `${ROOT}/Managers/{ManagerId}/EthernetInterfaces/{EthernetInterfaceId}`,
    entity: 'EthernetInterface',
    get: ethernet,
  },
];
