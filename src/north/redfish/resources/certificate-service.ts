/**
 * CertificateService: where certificates live (CertificateLocations), GenerateCSR (key made
 * here, kept for the matching ReplaceCertificate) and ReplaceCertificate (the HTTPS
 * certificate, applied to new TLS connections at once).
 */
import { Orv3Error } from '../../../errors.js';
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { httpError } from '../http/errors.js';
import { odataType } from '../schemas.js';
import { httpsCertificateUri } from './network.js';
import { checkActionParams, link, noContent, ROOT } from './util.js';

const SERVICE = `${ROOT}/CertificateService`;
const CSR_INFO = `${SERVICE}/GenerateCSRActionInfo`;
const httpsCollection = (req: Req): string =>
  `${ROOT}/Managers/${req.ctx.info.managerId}/NetworkProtocol/HTTPS/Certificates`;

function certificateService(): JsonObject {
  return {
    '@odata.id': SERVICE,
    '@odata.type': odataType('CertificateService'),
    Id: 'CertificateService',
    Name: 'Certificate Service',
    CertificateLocations: link(`${SERVICE}/CertificateLocations`),
    Actions: {
      '#CertificateService.GenerateCSR': {
        target: `${SERVICE}/Actions/CertificateService.GenerateCSR`,
        '@Redfish.ActionInfo': CSR_INFO,
      },
      '#CertificateService.ReplaceCertificate': {
        target: `${SERVICE}/Actions/CertificateService.ReplaceCertificate`,
        'CertificateType@Redfish.AllowableValues': ['PEM'],
      },
    },
  };
}

const param = (
  Name: string,
  DataType: string,
  Required = false,
  extra: JsonObject = {},
): JsonObject => ({ Name, DataType, Required, ...extra });

function csrActionInfo(req: Req): JsonObject {
  return {
    '@odata.id': CSR_INFO,
    '@odata.type': odataType('ActionInfo'),
    Id: 'GenerateCSRActionInfo',
    Name: 'GenerateCSR Action Info',
    Parameters: [
      param('CertificateCollection', 'Object', true, {
        ObjectDataType: '#CertificateCollection.CertificateCollection',
        AllowableValues: [httpsCollection(req)],
      }),
      param('CommonName', 'String', true),
      param('AlternativeNames', 'StringArray'),
      param('Organization', 'String'),
      param('OrganizationalUnit', 'String'),
      param('City', 'String'),
      param('State', 'String'),
      param('Country', 'String'),
    ],
  };
}

const str = (b: JsonObject, k: string, action: string, max = 128): string | undefined => {
  const v = b[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > max || /[\r\n]/.test(v))
    throw httpError(
      400,
      'Base.ActionParameterValueTypeError',
      typeof v === 'string' ? v.slice(0, 64) : JSON.stringify(v),
      k,
      action,
    );
  return v;
};

async function generateCsr(req: Req) {
  const action = 'CertificateService.GenerateCSR';
  const b = checkActionParams(
    action,
    req.body,
    [
      'CertificateCollection',
      'CommonName',
      'AlternativeNames',
      'Organization',
      'OrganizationalUnit',
      'City',
      'State',
      'Country',
      'KeyPairAlgorithm',
    ],
    ['CertificateCollection', 'CommonName'],
  );
  const coll = b['CertificateCollection'];
  const collId =
    typeof coll === 'object' && coll !== null && !Array.isArray(coll)
      ? coll['@odata.id']
      : undefined;
  if (collId !== httpsCollection(req))
    throw httpError(
      400,
      'Base.ActionParameterValueNotInList',
      JSON.stringify(collId ?? null),
      'CertificateCollection',
      action,
    );
  const alt = b['AlternativeNames'];
  if (
    alt !== undefined &&
    (!Array.isArray(alt) ||
      alt.some((x) => typeof x !== 'string' || !/^[A-Za-z0-9.:*-]{1,253}$/.test(x)))
  )
    throw httpError(
      400,
      'Base.ActionParameterValueTypeError',
      JSON.stringify(alt),
      'AlternativeNames',
      action,
    );
  const csr = await req.ctx.certificates.generateCsr({
    commonName: str(b, 'CommonName', action)!,
    ...(str(b, 'Organization', action) !== undefined
      ? { organization: str(b, 'Organization', action)! }
      : {}),
    ...(str(b, 'OrganizationalUnit', action) !== undefined
      ? { organizationalUnit: str(b, 'OrganizationalUnit', action)! }
      : {}),
    ...(str(b, 'City', action) !== undefined ? { city: str(b, 'City', action)! } : {}),
    ...(str(b, 'State', action) !== undefined ? { state: str(b, 'State', action)! } : {}),
    ...(str(b, 'Country', action, 2) !== undefined
      ? { country: str(b, 'Country', action, 2)! }
      : {}),
    ...(alt ? { alternativeNames: alt as string[] } : {}),
  });
  return {
    status: 200,
    body: { CSRString: csr, CertificateCollection: link(httpsCollection(req)) },
  };
}

const KEY_RE =
  /-----BEGIN (?:EC |RSA |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:EC |RSA |ENCRYPTED )?PRIVATE KEY-----\s*/;

function replaceCertificate(req: Req) {
  const action = 'CertificateService.ReplaceCertificate';
  const b = checkActionParams(
    action,
    req.body,
    ['CertificateUri', 'CertificateString', 'CertificateType'],
    ['CertificateUri', 'CertificateString', 'CertificateType'],
  );
  if (b['CertificateType'] !== 'PEM')
    throw httpError(
      400,
      'Base.ActionParameterValueNotInList',
      JSON.stringify(b['CertificateType']),
      'CertificateType',
      action,
    );
  const target = b['CertificateUri'];
  const uri =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? target['@odata.id']
      : undefined;
  if (uri !== httpsCertificateUri(req) || !req.ctx.certificates.current)
    throw httpError(
      400,
      'Base.ActionParameterValueNotInList',
      JSON.stringify(uri ?? null),
      'CertificateUri',
      action,
    );
  const pem = b['CertificateString'];
  if (typeof pem !== 'string' || pem.length > 32_768)
    throw httpError(
      400,
      'Base.ActionParameterValueTypeError',
      '(certificate)',
      'CertificateString',
      action,
    );
  const key = KEY_RE.exec(pem)?.[0];
  const cert = key ? pem.replace(key, '') : pem;
  try {
    req.ctx.certificates.replace(cert, key);
  } catch (e) {
    req.ctx.log.info('certificate refused', {
      reason: e instanceof Orv3Error ? e.message : 'invalid',
    });
    throw httpError(400, 'Base.ActionParameterValueError', 'CertificateString', action);
  }
  req.ctx.log.warn('HTTPS certificate replaced', { by: req.principal!.user });
  return noContent;
}

export const certificateServiceRoutes: RouteDef[] = [
  { path: SERVICE, entity: 'CertificateService', get: certificateService },
  {
    path: `${SERVICE}/CertificateLocations`,
    entity: 'CertificateLocations',
    get: (req) => ({
      '@odata.id': `${SERVICE}/CertificateLocations`,
      '@odata.type': odataType('CertificateLocations'),
      Id: 'CertificateLocations',
      Name: 'Certificate Locations',
      Links: { Certificates: req.ctx.certificates.current ? [link(httpsCertificateUri(req))] : [] },
    }),
  },
  { path: CSR_INFO, entity: 'ActionInfo', get: csrActionInfo },
  {
    path: `${SERVICE}/Actions/CertificateService.GenerateCSR`,
    entity: 'CertificateService',
    post: generateCsr,
  },
  {
    path: `${SERVICE}/Actions/CertificateService.ReplaceCertificate`,
    entity: 'CertificateService',
    post: replaceCertificate,
  },
];
