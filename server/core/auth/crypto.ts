// Small crypto helpers shared by the auth modules. Node's own `crypto` only: nothing here
// needs a dependency, and keeping it in one file makes the key handling easy to review.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** Keys the auth core needs, derived from the one master key kept in `data/` (see docs/security.md). */
export interface AuthKeys {
  /** AES-256-GCM key that seals TOTP secrets at rest. */
  readonly totpKey: Buffer;
  /** HMAC-SHA256 key that derives a session's CSRF token from the session id. */
  readonly csrfKey: Buffer;
}

/** Derive purpose-bound keys from one master key (HKDF-SHA256), so one key file backs them all and a
 *  key for one purpose can never be replayed for another. The master key must be >= 32 random bytes. */
export function deriveAuthKeys(masterKey: Uint8Array): AuthKeys {
  if (masterKey.length < 32) throw new Error('auth master key must be at least 32 bytes');
  const derive = (info: string): Buffer => Buffer.from(hkdfSync('sha256', masterKey, 'handoff-auth-v1', info, 32));
  return { totpKey: derive('totp-secret-seal'), csrfKey: derive('csrf-token') };
}

/** A fresh random master key (32 bytes). The server stores it in `data/` with mode 0600. */
export function newMasterKey(): Buffer {
  return randomBytes(32);
}

/** Random, URL-safe token carrying `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Hex SHA-256. Right for high-entropy secrets (session and setup tokens, recovery codes): they can't
 *  be guessed, so a slow hash would add cost without adding safety. Never use it for passwords. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function hmacBase64Url(key: Uint8Array, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('base64url');
}

/** Constant-time comparison of two strings (different lengths compare unequal without early exit on content). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Still spend a comparison so the time does not depend on where the strings differ.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

const SEAL_VERSION = 'v1';

/** Encrypt a short secret with AES-256-GCM. `context` is bound as associated data (e.g. the user id), so a
 *  sealed value copied onto another row does not open there. Output: `v1.<iv>.<ciphertext>.<tag>` (base64url). */
export function seal(key: Uint8Array, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [SEAL_VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Open a value made by `seal`; throws if it was tampered with, sealed for another context or with another key. */
export function open(key: Uint8Array, sealed: string, context: string): string {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== SEAL_VERSION || iv === undefined || body === undefined || tag === undefined) {
    throw new Error('sealed value has an unknown format');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
