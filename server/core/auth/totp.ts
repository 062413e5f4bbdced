// TOTP second factor (RFC 6238 through otplib) and recovery codes.
// Authenticator-app defaults: SHA-1, 30 s steps, 6 digits, one step of clock drift either way.
// A code is accepted at most once: the last accepted time step is stored per user and any step at or
// before it is refused (a claim on the store that only one request can win).
import { randomBytes } from 'node:crypto';
import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { AuthKeys } from './crypto.ts';
import { open, seal, sha256Hex } from './crypto.ts';
import type { AuthStore, UserRecord } from './store.ts';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Accept the previous and the next step as well (clock drift of a phone). */
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_ISSUER = 'Handoff';

/** A fresh secret: 20 random bytes (160 bits, RFC 4226's recommendation), base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export interface TotpEnrolment {
  /** base32; shown for manual entry when the camera can't scan. */
  secret: string;
  otpauthUri: string;
  /** The QR code of otpauthUri as an SVG document, drawn here: no external QR service ever sees the secret. */
  qrSvg: string;
  /** The same QR code as a PNG data: URL (fits a CSP of img-src 'self' data:). */
  qrDataUrl: string;
}

export async function totpEnrolment(secret: string, account: { login: string; issuer?: string }): Promise<TotpEnrolment> {
  const otpauthUri = generateURI({
    issuer: account.issuer ?? TOTP_ISSUER,
    label: account.login,
    secret,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
  const [qrSvg, qrDataUrl] = await Promise.all([
    QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 256 }),
  ]);
  return { secret, otpauthUri, qrSvg, qrDataUrl };
}

/** Remove what people type between digits ("123 456", "123-456"). */
export function normaliseTotpCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export interface TotpCheck {
  /** base32 string, or raw key bytes (the RFC test vectors use raw ASCII keys). */
  secret: string | Uint8Array;
  code: string;
  nowMs: number;
  /** Refuse codes from this time step or earlier (the last step this user spent). */
  afterTimeStep?: number | null;
  /** 6 in production; the RFC 6238 test vectors use 8. */
  digits?: number;
}

export type TotpResult = { valid: true; timeStep: number } | { valid: false };

/** Verify a code for the time `nowMs`, +-TOTP_WINDOW_STEPS. Pure: it does not record the step. */
export async function checkTotpCode(check: TotpCheck): Promise<TotpResult> {
  const digits = check.digits ?? TOTP_DIGITS;
  const code = normaliseTotpCode(check.code);
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return { valid: false };
  const afterTimeStep = check.afterTimeStep ?? undefined;
  const result = await verify({
    secret: check.secret,
    token: code,
    algorithm: 'sha1',
    digits,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(check.nowMs / 1000),
    epochTolerance: TOTP_WINDOW_STEPS * TOTP_PERIOD_SECONDS,
    ...(afterTimeStep === undefined ? {} : { afterTimeStep }),
  });
  return result.valid && 'timeStep' in result ? { valid: true, timeStep: result.timeStep } : { valid: false };
}

/** The code an authenticator shows at `nowMs` (for tests and the CLI's self-check). */
export async function totpCodeAt(secret: string | Uint8Array, nowMs: number, digits = TOTP_DIGITS): Promise<string> {
  return generate({ secret, algorithm: 'sha1', digits, period: TOTP_PERIOD_SECONDS, epoch: Math.floor(nowMs / 1000) });
}

export function totpTimeStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

// ---- secrets at rest --------------------------------------------------------------------------

/** TOTP secrets are sealed with AES-GCM, bound to the user id, so the database alone does not yield codes. */
export function sealTotpSecret(keys: AuthKeys, userId: number, secret: string): string {
  return seal(keys.totpKey, secret, `totp:${userId}`);
}

export function openTotpSecret(keys: AuthKeys, userId: number, sealed: string): string {
  return open(keys.totpKey, sealed, `totp:${userId}`);
}

// ---- recovery codes ---------------------------------------------------------------------------

export const RECOVERY_CODE_COUNT = 10;
// 32 symbols (no 0/o, 1/l), so 5 random bits map to one symbol without bias; 16 symbols = 80 bits.
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 16;

/** Fresh single-use recovery codes, formatted `abcd-efgh-jkmn-pqrs`. Shown once; only hashes are kept. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(RECOVERY_LENGTH);
    const symbols = [...bytes].map((b) => RECOVERY_ALPHABET[b & 31] ?? 'a').join('');
    return symbols.match(/.{4}/g)?.join('-') ?? symbols;
  });
}

export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

export function looksLikeRecoveryCode(input: string): boolean {
  return new RegExp(`^[${RECOVERY_ALPHABET}]{${RECOVERY_LENGTH}}$`).test(normaliseRecoveryCode(input));
}

/** SHA-256 is enough here: a code carries 80 random bits, so the hash can't be reversed by guessing. */
export function hashRecoveryCode(code: string): string {
  return sha256Hex(`recovery:${normaliseRecoveryCode(code)}`);
}

// ---- the second factor of a login --------------------------------------------------------------

export type SecondFactorResult =
  | { ok: true; method: 'totp' }
  | { ok: true; method: 'recovery'; recoveryCodesLeft: number }
  | { ok: false };

/** Check a TOTP code or a recovery code for an enrolled user, and spend it (a time step or a code works once). */
export async function verifySecondFactor(
  store: AuthStore,
  keys: AuthKeys,
  user: UserRecord,
  input: string,
  nowMs: number,
): Promise<SecondFactorResult> {
  if (user.totpSecretSealed === null) return { ok: false };
  if (looksLikeRecoveryCode(input)) {
    const used = await store.consumeRecoveryCode(user.id, hashRecoveryCode(input));
    if (!used) return { ok: false };
    const fresh = await store.findUserById(user.id);
    return { ok: true, method: 'recovery', recoveryCodesLeft: fresh?.recoveryCodeHashes.length ?? 0 };
  }
  const secret = openTotpSecret(keys, user.id, user.totpSecretSealed);
  const result = await checkTotpCode({ secret, code: input, nowMs, afterTimeStep: user.totpLastStep });
  if (!result.valid) return { ok: false };
  // Two requests carrying the same code may both pass the check above; only one wins this claim.
  return (await store.claimTotpStep(user.id, result.timeStep)) ? { ok: true, method: 'totp' } : { ok: false };
}
