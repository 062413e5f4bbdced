// Admin: users (setup links, reset, role, disable) and the audit log.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { ROLES, UserError, changeRole, createUser, listUsers, readAudit, resetUser, setUserDisabled, type Role } from '../core/auth/index.ts';
import { userErrorReply } from './auth.ts';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

/** The setup link carries its token after '#': browsers never send fragments, so proxies never log it. */
export function setupLink(origin: string, token: string): string {
  return `${origin}/setup#token=${token}`;
}

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const actorOf = (request: { sessionUser: { login: string } | null; ip: string }) => ({ login: request.sessionUser!.login, ip: request.ip });
  const originOf = (request: { protocol: string; headers: { host?: string } }) => `${request.protocol}://${request.headers.host ?? 'localhost'}`;
  const guard = async <T>(reply: { status(code: number): { send(body: unknown): unknown } }, fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof UserError) return reply.status(error.code === 'unknown_user' ? 404 : 400).send(userErrorReply(error));
      throw error;
    }
  };

  app.get('/api/users', { config: { permission: 'users.manage' }, schema: { summary: 'All accounts (no secrets)' } },
    async () => app.auth.withStore((store) => listUsers(store)));

  app.post('/api/users', {
    config: { permission: 'users.manage' },
    schema: { summary: 'Create an account; returns its one-time setup link', body: Type.Object({ login: Type.String({ maxLength: 64 }), role: RoleSchema }, { additionalProperties: false }) },
  }, async (request, reply) => guard(reply, async () => {
    const body = request.body as { login: string; role: Role };
    const ticket = await app.auth.withStore((store) => createUser(store, body, actorOf(request)));
    return { login: ticket.login, setupLink: setupLink(originOf(request), ticket.setupToken), expiresAtMs: ticket.expiresAtMs };
  }));

  app.post('/api/users/:login/reset', {
    config: { permission: 'users.manage' },
    schema: { summary: 'Reset password and second factor; ends sessions; returns a new setup link', params: Type.Object({ login: Type.String({ maxLength: 64 }) }) },
  }, async (request, reply) => guard(reply, async () => {
    const { login } = request.params as { login: string };
    const ticket = await app.auth.withStore((store) => resetUser(store, login, actorOf(request)));
    return { login: ticket.login, setupLink: setupLink(originOf(request), ticket.setupToken), expiresAtMs: ticket.expiresAtMs };
  }));

  app.post('/api/users/:login/role', {
    config: { permission: 'users.manage' },
    schema: { summary: 'Change a role; ends that user\'s sessions', params: Type.Object({ login: Type.String({ maxLength: 64 }) }), body: Type.Object({ role: RoleSchema }, { additionalProperties: false }) },
  }, async (request, reply) => guard(reply, async () => {
    const { login } = request.params as { login: string };
    const { role } = request.body as { role: Role };
    return app.auth.withStore((store) => changeRole(store, login, role, actorOf(request)));
  }));

  app.post('/api/users/:login/disabled', {
    config: { permission: 'users.manage' },
    schema: { summary: 'Disable or re-enable an account', params: Type.Object({ login: Type.String({ maxLength: 64 }) }), body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }) },
  }, async (request, reply) => guard(reply, async () => {
    const { login } = request.params as { login: string };
    const { disabled } = request.body as { disabled: boolean };
    await app.auth.withStore((store) => setUserDisabled(store, login, disabled, actorOf(request)));
    return { ok: true };
  }));

  app.get('/api/audit', {
    config: { permission: 'audit.read' },
    schema: { summary: 'The append-only audit log, newest first', querystring: Type.Object({ limit: Type.Optional(Type.String({ pattern: '^\\d{1,4}$' })), action: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }) },
  }, async (request) => {
    const q = request.query as { limit?: string; action?: string };
    return app.auth.withStore((store) => readAudit(store, { limit: q.limit ? Number(q.limit) : 200, action: q.action }));
  });
}
