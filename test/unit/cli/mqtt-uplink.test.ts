import { afterEach, describe, expect, it, vi } from 'vitest';
import { uplinkAttacher } from '../../../src/cli/mqtt-uplink.js';
import { isOrv3Error, ErrorCode } from '../../../src/errors.js';

describe('run --mqtt-* wiring', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is off without --mqtt-url, and says so', () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    expect(uplinkAttacher({})).toBeUndefined();
    expect(out).toMatch(/MQTT uplink off/);
  });

  it('refuses an unknown command name in --authorise-commands, naming it', () => {
    try {
      uplinkAttacher({ mqttUrl: 'mqtt://127.0.0.1:1', authorise: 'Locate, Reboot Everything' });
      expect.unreachable();
    } catch (e) {
      expect(isOrv3Error(e, ErrorCode.ConfigInvalid)).toBe(true);
      expect((e as Error).message).toMatch(/Reboot Everything/);
    }
  });

  it('accepts the known command names', () => {
    expect(
      uplinkAttacher({
        mqttUrl: 'mqtt://127.0.0.1:1',
        authorise: 'Node Control/Power Cap W,Locate,Self Test',
      }),
    ).toBeTypeOf('function');
  });
});

describe('run --mqtt-* TLS files', () => {
  it('needs cert and key together, and names an unreadable file', () => {
    expect(() =>
      uplinkAttacher({ mqttUrl: 'mqtts://127.0.0.1:1', certFile: '/nonexistent/cert.pem' }),
    ).toThrow(/go together/);
    expect(() =>
      uplinkAttacher({ mqttUrl: 'mqtts://127.0.0.1:1', caFile: '/nonexistent/ca.pem' }),
    ).toThrow(/--mqtt-ca: cannot read \/nonexistent\/ca\.pem/);
  });
});
