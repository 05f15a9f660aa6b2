/**
 * Managers/{id}/NetworkProtocol (HTTPS with its certificate collection) and EthernetInterfaces
 * (the host's interfaces, from the operating system).
 */
import { getServers } from 'node:dns';
import { readFileSync } from 'node:fs';
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

/**
 * Certificate.SerialNumber is colon-separated hex pairs (`^([0-9A-Fa-f]{2}:){0,}([0-9A-Fa-f]{2})$`);
 * node gives the serial as one hex string, without the leading zero of an odd length.
 */
export function serialPairs(hex: string): string {
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  return (even.toUpperCase().match(/../g) ?? ['00']).join(':');
}

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
    SerialNumber: serialPairs(c.serialNumber),
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

/**
 * Link speed from Linux sysfs; null where the OS does not know it (virtual NICs report -1 or
 * refuse the read, other platforms have no such file). The schema allows null.
 */
function speedMbps(name: string): number | null {
  try {
    const v = Number(readFileSync(`/sys/class/net/${name}/speed`, 'utf8').trim());
    return Number.isInteger(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

/** The resolvers the host uses (resolv.conf through node:dns); the same for every interface. */
function nameServers(): string[] {
  try {
    return getServers();
  } catch {
    return [];
  }
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
    SpeedMbps: speedMbps(id),
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
    NameServers: nameServers(),
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
