// Signing in through the real routes, as a user would: an admin-made account, setup with a real
// TOTP code, then login with the next code (a code can't be used twice).
import type { FastifyInstance } from 'fastify';
import { DuckDbAuthStore, createUser, totpCodeAt, type Role } from '../server/core/auth/index.ts';
import type { Database } from '../server/core/db/database.ts';

export interface SignedIn { login: string; role: Role; cookie: string; csrfToken: string; secret: string; recoveryCodes: string[] }

let counter = 0;
export const STRONG_PASSWORD = 'correct horse battery staple 42';

export async function createAccount(app: FastifyInstance, db: Database, role: Role, login = `${role}${++counter}`) {
  const ticket = await createUser(new DuckDbAuthStore(db.connection), { login, role }, { login: 'test' });
  const begin = await app.inject({ method: 'POST', url: '/api/auth/setup/begin', payload: { token: ticket.setupToken } });
  if (begin.statusCode !== 200) throw new Error(`setup/begin: ${begin.body}`);
  const secret = begin.json().secret as string;
  const complete = await app.inject({ method: 'POST', url: '/api/auth/setup/complete',
    payload: { token: ticket.setupToken, password: STRONG_PASSWORD, totp: await totpCodeAt(secret, Date.now()) } });
  if (complete.statusCode !== 200) throw new Error(`setup/complete: ${complete.body}`);
  return { login, secret, recoveryCodes: complete.json().recoveryCodes as string[] };
}

export function cookieOf(setCookie: string | string[] | undefined): string {
  const first = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
  return first.split(';')[0]!;
}

export async function signIn(app: FastifyInstance, db: Database, role: Role): Promise<SignedIn> {
  const account = await createAccount(app, db, role);
  // The setup code claimed this 30 s step; the authenticator's next code is accepted (±1 step).
  const res = await app.inject({ method: 'POST', url: '/api/auth/login',
    payload: { login: account.login, password: STRONG_PASSWORD, totp: await totpCodeAt(account.secret, Date.now() + 30_000) } });
  if (res.statusCode !== 200) throw new Error(`login: ${res.body}`);
  return { ...account, role, cookie: cookieOf(res.headers['set-cookie']), csrfToken: res.json().csrfToken };
}
