// The one-time setup link is `https://host/setup#token=…`. The token sits after '#', which browsers
// never send to a server, so it reaches Handoff only in the body of the setup requests and never
// appears in an access log, a proxy log or a Referer header.

/** The token in a location hash ('#token=abc'), or null. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token')?.trim() ?? '';
  // The server's tokens are base64url; anything else is a mistyped or tampered link.
  return /^[A-Za-z0-9_-]{10,200}$/.test(token) ? token : null;
}

/** The base32 secret in groups of four, easier to type into an authenticator app. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').match(/.{1,4}/g)?.join(' ') ?? secret;
}

/** The text file a person keeps their recovery codes in. */
export function recoveryCodesText(login: string, codes: readonly string[], site: string, date: Date): string {
  return [
    `Handoff recovery codes for "${login}" at ${site}`,
    `Made ${date.toISOString().slice(0, 10)}. Each code works once, in place of the six-digit code, if the phone is lost.`,
    'Keep them somewhere safe and private.',
    '',
    ...codes,
    '',
  ].join('\n');
}

export function recoveryFileName(login: string): string {
  return `handoff-recovery-codes-${login.replace(/[^A-Za-z0-9._-]+/g, '-')}.txt`;
}
