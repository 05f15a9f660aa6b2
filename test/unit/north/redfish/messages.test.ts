import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOrv3Error, ErrorCode } from '../../../../src/errors.js';
import { MessageRegistries, USED_MESSAGES } from '../../../../src/north/redfish/messages.js';
import { errorPayload, httpError } from '../../../../src/north/redfish/http/errors.js';
import { defaultRegistryDir } from '../../../../src/north/redfish/paths.js';
import { SHARED_PRESENT } from '../../../support/sim.js';

if (!SHARED_PRESENT) console.warn('redfish messages: ../shared absent; registry tests skipped');

describe.skipIf(!SHARED_PRESENT)('MessageRegistries (DMTF files)', () => {
  const reg = MessageRegistries.load(defaultRegistryDir());

  it('builds a message from the registry text with its arguments, id and severity', () => {
    const m = reg.message('Base.ResourceNotFound', 'Chassis', 'X1');
    expect(m.MessageId).toMatch(/^Base\.1\.\d+\.\d+\.ResourceNotFound$/);
    expect(m.Message).toBe("The requested resource of type Chassis named 'X1' was not found.");
    expect(m.MessageArgs).toEqual(['Chassis', 'X1']);
    expect(m.MessageSeverity).toBe('Critical');
    expect(m.Resolution.length).toBeGreaterThan(0);
  });

  it('knows every MessageId we use (checked at load) and the newest registry version', () => {
    for (const [prefix, ids] of Object.entries(USED_MESSAGES))
      for (const id of Object.keys(ids))
        expect(() => reg.message(`${prefix}.${id}` as never)).not.toThrow();
    expect(reg.registryId('Power')).toMatch(/^Power\.\d+\.\d+\.\d+$/);
  });

  it('renders a RedfishError as a redfish-error payload', () => {
    const e = httpError(400, 'Base.PropertyUnknown', 'Foo');
    const p = errorPayload(reg, e.messages);
    expect(p.error.code).toBe(p.error['@Message.ExtendedInfo'][0]!.MessageId);
    expect(p.error.message).toContain('Foo');
  });

  it('refuses a registry folder that lacks a MessageId we use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reg-'));
    for (const p of Object.keys(USED_MESSAGES))
      writeFileSync(
        join(dir, `${p}.1.0.0.json`),
        JSON.stringify({ Id: `${p}.1.0.0`, Messages: {} }),
      );
    try {
      MessageRegistries.load(dir);
      expect.unreachable();
    } catch (e) {
      expect(isOrv3Error(e, ErrorCode.RedfishRegistry)).toBe(true);
    }
  });
});
