// Sign-in, first setup (password + TOTP enrolment from a one-time link), logout, who am I.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { LOGIN_FAILED_MESSAGE, UserError, beginSetup, completeSetup, login, revokeSession, SESSION_COOKIE, SESSION_COOKIE_INSECURE } from '../core/auth/index.ts';

const LoginBody = Type.Object({
  login: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  totp: Type.String({ minLength: 1, maxLength: 32 }),
}, { additionalProperties: false });

const SetupBody = Type.Object({
  token: Type.String({ minLength: 10, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  totp: Type.String({ minLength: 6, maxLength: 8 }),
}, { additionalProperties: false });

export function userErrorReply(error: UserError) {
  return { error: error.code, message: error.message, problems: error.problems };
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.post('/api/auth/login', {
    schema: { summary: 'Sign in with login, password and a TOTP or recovery code', body: LoginBody },
    config: { permission: 'public', csrf: 'origin-only', rateLimit: { max: Number(process.env.HANDOFF_LOGIN_RATE ?? 20), timeWindow: '1 minute' } },
  }, async (request, reply) => {
    const body = request.body as { login: string; password: string; totp: string };
    const result = await app.auth.withStore((store) => login(store, { ...body, ip: request.ip }, { keys: app.auth.keys }));
    if (!result.ok) return reply.status(401).send({ error: 'invalid_credentials', message: LOGIN_FAILED_MESSAGE });
    app.auth.setSessionCookie(request, reply, result.session.token);
    return { login: result.user.login, role: result.user.role, csrfToken: result.session.csrfToken, recoveryCodesLeft: result.recoveryCodesLeft ?? null };
  });

  // Public, answering null when signed out: the page asks this first, and a 401 would be a console error.
  app.get('/api/auth/me', { config: { permission: 'public' }, schema: { summary: 'The signed-in user, role and CSRF token, or null' } }, async (request) => {
    const user = request.sessionUser;
    return user ? { login: user.login, role: user.role, csrfToken: user.csrfToken } : null;
  });

  app.post('/api/auth/logout', { config: { permission: 'session' }, schema: { summary: 'End the session on the server' } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE] ?? request.cookies[SESSION_COOKIE_INSECURE];
    if (token) await app.auth.withStore((store) => revokeSession(store, token, Date.now(), 'logout'));
    app.auth.clearSessionCookie(reply);
    return { ok: true };
  });

  // The setup token travels in the link's #fragment, so it reaches the server only in these bodies.
  app.post('/api/auth/setup/begin', {
    schema: { summary: 'Start account setup: the TOTP QR code for this setup token', body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }, { additionalProperties: false }) },
    config: { permission: 'public', csrf: 'origin-only', rateLimit: { max: 30, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    try {
      const { token } = request.body as { token: string };
      const setup = await app.auth.withStore((store) => beginSetup(store, app.auth.keys, token));
      return { login: setup.login, role: setup.role, qrSvg: setup.enrolment.qrSvg, secret: setup.enrolment.secret, otpauthUri: setup.enrolment.otpauthUri };
    } catch (error) {
      if (error instanceof UserError) return reply.status(400).send(userErrorReply(error));
      throw error;
    }
  });

  app.post('/api/auth/setup/complete', {
    schema: { summary: 'Finish setup: password and the first code; returns the recovery codes once', body: SetupBody },
    config: { permission: 'public', csrf: 'origin-only', rateLimit: { max: 30, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    const body = request.body as { token: string; password: string; totp: string };
    try {
      const done = await app.auth.withStore((store) => completeSetup(store, app.auth.keys, { setupToken: body.token, password: body.password, totpCode: body.totp, ip: request.ip }));
      return { login: done.login, recoveryCodes: done.recoveryCodes };
    } catch (error) {
      if (error instanceof UserError) return reply.status(400).send(userErrorReply(error));
      throw error;
    }
  });
}
