/**
 * Password hashing with scrypt (node:crypto, run on the libuv pool so a login never blocks the
 * event loop) and constant-time comparison. Encoded form, self-describing so parameters can
 * grow later: `$scrypt$ln=14,r=8,p=1$<salt base64>$<key base64>`.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

/** N = 2^14, r = 8: 16 MiB and a few tens of ms per hash — sized for a rack controller. */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 14, r: 8, p: 1 };
const KEY_LEN = 32;
const SALT_LEN = 16;

function derive(
  password: string,
  salt: Buffer,
  prm: ScryptParams,
  keyLen = KEY_LEN,
): Promise<Buffer> {
  const N = 2 ** prm.ln;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      keyLen,
      { N, r: prm.r, p: prm.p, maxmem: 256 * N * prm.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export async function hashPassword(password: string, prm = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await derive(password, salt, prm);
  return `$scrypt$ln=${prm.ln},r=${prm.r},p=${prm.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface Decoded {
  readonly prm: ScryptParams;
  readonly salt: Buffer;
  readonly key: Buffer;
}

export function decodeHash(encoded: string): Decoded | undefined {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(
    encoded,
  );
  if (!m) return undefined;
  const prm = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (prm.ln < 10 || prm.ln > 20 || prm.r < 1 || prm.r > 32 || prm.p < 1 || prm.p > 16)
    return undefined;
  const key = Buffer.from(m[5]!, 'base64');
  if (key.length < 16) return undefined;
  return { prm, salt: Buffer.from(m[4]!, 'base64'), key };
}

export const isPasswordHash = (s: string): boolean => decodeHash(s) !== undefined;

/** True when `password` matches `encoded`; constant-time in the comparison. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const d = decodeHash(encoded);
  if (!d) return false;
  const key = await derive(password, d.salt, d.prm, d.key.length);
  return key.length === d.key.length && timingSafeEqual(key, d.key);
}
