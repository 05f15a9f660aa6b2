/**
 * TLS to a real mosquitto: the edge node verifies the broker against the configured CA and
 * authenticates with a client certificate; without the certificate, or trusting another CA,
 * it does not get online (and says why without leaking the key).
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/clock/index.js';
import { EdgeNode, type EdgeNodeConfig } from '../../../src/north/mqtt/index.js';
import {
  makeTestPki,
  skipWithoutMosquitto,
  startMosquitto,
  type Mosquitto,
  type TestPki,
} from '../../support/mosquitto.js';
import { LoggingSink, StaticShelf, waitFor } from './support.js';

const skipBroker = skipWithoutMosquitto('MQTT over TLS (mosquitto)');
const pki = skipBroker ? null : makeTestPki('MQTT over TLS (mosquitto)');

describe.skipIf(!pki)('MQTT over TLS with client certificates', () => {
  let broker: Mosquitto;
  const p = pki as TestPki;
  beforeAll(async () => {
    broker = await startMosquitto({
      tls: { ca: p.ca, cert: p.serverCert, key: p.serverKey, requireCertificate: true },
    });
  });
  afterAll(async () => {
    await broker?.dispose();
    rmSync(p.dir, { recursive: true, force: true });
  });

  const node = (tls: EdgeNodeConfig['tls']) => {
    const en = new EdgeNode(
      {
        brokerUrl: broker.url,
        tls,
        groupId: 'tls',
        edgeNodeId: 'rack7',
        publishPeriodMs: 100,
        reconnect: { minMs: 100, maxMs: 100 },
      },
      { clock: new RealClock(), source: new StaticShelf(), sink: new LoggingSink() },
    );
    const failures: string[] = [];
    en.onEvent((e) => e.type === 'connect-failed' && failures.push(e.reason));
    return { en, failures };
  };

  it('verifies the broker and presents the client certificate', async () => {
    const { en } = node({
      ca: readFileSync(p.ca),
      cert: readFileSync(p.clientCert),
      key: readFileSync(p.clientKey),
      rejectUnauthorized: true,
    });
    en.start();
    await waitFor('online over TLS', () => en.state === 'online');
    await en.stop();
  });

  it('without a client certificate, or with an untrusted broker, it stays offline', async () => {
    const key = readFileSync(p.clientKey, 'utf8');
    for (const tls of [
      { ca: readFileSync(p.ca), rejectUnauthorized: true },
      {
        ca: readFileSync(p.clientCert),
        cert: readFileSync(p.clientCert),
        key,
        rejectUnauthorized: true,
      },
    ]) {
      const { en, failures } = node(tls);
      en.start();
      await waitFor('a failed attempt', () => failures.length > 0);
      expect(en.state).not.toBe('online');
      await en.stop();
      expect(failures.join('\n')).not.toContain('PRIVATE KEY');
    }
  });
});
