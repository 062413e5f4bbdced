// The security adapter: sessions from cookies, permission checks per route, the Origin + CSRF token
// check on every state-changing request, login throttling per IP, strict headers. The rules
// themselves live in server/core/auth; this file only wires them to HTTP.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import {
  DuckDbAuthStore, SESSION_COOKIE, SESSION_COOKIE_INSECURE, can, deriveAuthKeys, validateSession,
  type AuthKeys, type AuthStore, type Permission, type Role,
} from './core/auth/index.ts';
import type { Database } from './core/db/database.ts';

export interface SessionUser { userId: number; login: string; role: Role; sessionId: string; csrfToken: string }

declare module 'fastify' {
  interface FastifyRequest {
    sessionUser: SessionUser | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route. 'public' routes need no session. */
    permission?: Permission | 'public' | 'session';
    /** State-changing routes that run before a session exists (login, setup) skip the token, not the Origin check. */
    csrf?: 'origin-only';
  }
  interface FastifyInstance {
    auth: { keys: AuthKeys; withStore<T>(fn: (store: AuthStore) => Promise<T>): Promise<T>; setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void; clearSessionCookie(reply: FastifyReply): void };
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Hashes of the inline scripts SvelteKit writes into the built pages, so the CSP can allow exactly them. */
export function inlineScriptHashes(webDir: string): string[] {
  const hashes = new Set<string>();
  if (!fs.existsSync(webDir)) return [];
  for (const file of fs.readdirSync(webDir).filter((f) => f.endsWith('.html'))) {
    const html = fs.readFileSync(path.join(webDir, file), 'utf8');
    for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
      hashes.add(`'sha256-${crypto.createHash('sha256').update(m[1]!).digest('base64')}'`);
    }
  }
  return [...hashes];
}

export interface SecurityOptions { db: Database; masterKey: Buffer; webDir: string }

function isSecure(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

async function security(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const keys = deriveAuthKeys(options.masterKey);
  // Auth queries get their own short-lived connection: DuckDB runs one statement per connection at a time.
  const withStore = async <T>(fn: (store: AuthStore) => Promise<T>): Promise<T> => {
    const connection = await options.db.instance.connect();
    try {
      return await fn(new DuckDbAuthStore(connection));
    } finally {
      connection.closeSync();
    }
  };
  app.decorate('auth', {
    keys,
    withStore,
    setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string) {
      // __Host- needs Secure, which needs HTTPS; on plain-HTTP localhost the cookie is otherwise the same.
      const secure = isSecure(request);
      reply.setCookie(secure ? SESSION_COOKIE : SESSION_COOKIE_INSECURE, token, { path: '/', httpOnly: true, secure, sameSite: 'strict' });
    },
    clearSessionCookie(reply: FastifyReply) {
      reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'strict' });
      reply.clearCookie(SESSION_COOKIE_INSECURE, { path: '/', httpOnly: true, sameSite: 'strict' });
    },
  });
  app.decorateRequest('sessionUser', null);

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  const scriptHashes = inlineScriptHashes(options.webDir);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...scriptHashes],
        styleSrc: ["'self'"],
        // SvelteKit's route announcer (for screen readers) carries this one fixed style attribute.
        styleSrcAttr: ["'unsafe-hashes'", "'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only means something over HTTPS; helmet sends it, browsers ignore it on http.
    strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });

  // Sessions checked in the last few seconds are not read from DuckDB again (a cached report answers in
  // about a millisecond; the check cost five). Any write — logout, role or password change, reset,
  // disable — empties the cache before it runs, so a revoked session is refused at once.
  const recentSessions = new Map<string, { user: SessionUser; until: number }>();
  const SESSION_CACHE_MS = 5_000;

  // A write may revoke sessions while a concurrent read re-caches one: clear again once the write is done.
  app.addHook('onResponse', async (request) => {
    if (UNSAFE.has(request.method)) recentSessions.clear();
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    if (UNSAFE.has(request.method)) recentSessions.clear();
    const token = request.cookies[SESSION_COOKIE] ?? request.cookies[SESSION_COOKIE_INSECURE];
    if (token) {
      const now = Date.now();
      const recent = recentSessions.get(token);
      if (recent && recent.until > now) {
        request.sessionUser = recent.user;
      } else {
        recentSessions.delete(token);
        const session = await withStore((store) => validateSession(store, keys, token, now));
        if (session) {
          request.sessionUser = { userId: session.userId, login: session.login, role: session.role, sessionId: session.sessionId, csrfToken: session.csrfToken };
          if (!UNSAFE.has(request.method)) {
            if (recentSessions.size >= 1000) recentSessions.clear();
            recentSessions.set(token, { user: request.sessionUser, until: now + SESSION_CACHE_MS });
          }
        }
      }
    }
    const config = request.routeOptions.config as { permission?: Permission | 'public' | 'session'; csrf?: 'origin-only' };
    const permission = config.permission;
    if (UNSAFE.has(request.method)) {
      // Cross-site requests are refused: the Origin (sent by browsers on every POST) must be this host.
      const origin = request.headers.origin;
      if (origin !== undefined) {
        let sameHost = false;
        try {
          sameHost = new URL(origin).host === request.headers.host;
        } catch { /* malformed Origin */ }
        if (!sameHost) return reply.status(403).send({ error: 'forbidden', message: 'cross-site request refused' });
      }
      if (config.csrf !== 'origin-only') {
        const provided = request.headers['x-csrf-token'];
        const session = request.sessionUser;
        if (!session || typeof provided !== 'string' || !timingSafeEqualText(provided, session.csrfToken)) {
          return reply.status(session ? 403 : 401).send({ error: session ? 'forbidden' : 'unauthorized', message: session ? 'missing or wrong CSRF token' : 'sign in first' });
        }
      }
    }
    if (permission === 'public') return;
    if (!request.sessionUser) return reply.status(401).send({ error: 'unauthorized', message: 'sign in first' });
    if (permission && permission !== 'session' && !can(request.sessionUser.role, permission)) {
      return reply.status(403).send({ error: 'forbidden', message: `the ${request.sessionUser.role} role may not do this` });
    }
  });
}

function timingSafeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export const securityPlugin = fp(security, { name: 'handoff-security' });
