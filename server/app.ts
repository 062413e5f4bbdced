// Builds the Fastify app: plugins and thin route adapters over server/core. Used by main.ts and tests.
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { REPO_ROOT, type Database } from './core/db/database.ts';
import { createReportService, type ReportService } from './core/reports/service.ts';
import { healthRoutes } from './routes/health.ts';
import { reportRoutes } from './routes/reports.ts';
import { authRoutes } from './routes/auth.ts';
import { adminRoutes } from './routes/admin.ts';
import { importRoutes } from './routes/imports.ts';
import { securityPlugin } from './security.ts';

export interface AppOptions {
  db: Database;
  piiKey: Buffer;
  /** Built front end to serve; omitted when it does not exist (API-only tests). */
  webDir?: string;
  logger?: boolean;
  reportTimeoutMs?: number;
  reportCacheEntries?: number;
  /** Where uploads are parsed (private, emptied after each import); default data/uploads beside the database. */
  uploadRoot?: string;
}

export function uploadRootFor(dbPath: string): string {
  return path.join(path.dirname(path.resolve(dbPath)), 'uploads');
}

declare module 'fastify' {
  interface FastifyInstance {
    handoff: { db: Database; piiKey: Buffer; reports: ReportService; routes: RouteSummary[] };
  }
}

// Personal data never reaches the logs: only method, route and status are logged for requests.
const REDACT = ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'];

export interface RouteSummary { method: string; url: string; permission: string | undefined }

interface AjvIssue { keyword: string; instancePath: string; params: Record<string, unknown>; message?: string }

/** Turns a schema failure into a message that names the parameter and what it allows. */
function describeValidation(issues: AjvIssue[], fallback: string): { param?: string; message: string } {
  const issue = issues[0];
  if (!issue) return { message: fallback };
  if (issue.keyword === 'additionalProperties') {
    const param = String(issue.params.additionalProperty);
    return { param, message: `unknown parameter "${param}"` };
  }
  const param = issue.instancePath.replace(/^\//, '') || undefined;
  const allowed = issues.map((i) => i.params.allowedValue).filter((v) => v !== undefined);
  const rule = allowed.length > 0 ? `must be one of ${allowed.join(', ')}` : issue.message ?? 'is invalid';
  return { param, message: `parameter "${param ?? '?'}" ${rule}` };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info', redact: REDACT, serializers: { req: (req) => ({ method: req.method, url: req.routeOptions?.url ?? 'unmatched' }) } } : false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const reports = await createReportService(options.db, { timeoutMs: options.reportTimeoutMs, cacheEntries: options.reportCacheEntries });
  const routes: RouteSummary[] = [];
  app.decorate('handoff', { db: options.db, piiKey: options.piiKey, reports, routes });
  // Every route and who may call it, so the security tests can walk all of them.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, permission: (route.config as { permission?: string } | undefined)?.permission });
    }
  });
  app.addHook('onClose', async () => reports.close());

  app.setErrorHandler((error: Error & { validation?: unknown; statusCode?: number; validationContext?: string }, _request, reply) => {
    if (error.validation) {
      return reply.status(400).send({ error: 'bad_request', ...describeValidation(error.validation as AjvIssue[], error.message) });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status === 500) app.log.error({ err: { type: error.name, message: error.message } }, 'request failed');
    return reply.status(status).send({ error: status === 500 ? 'internal' : 'error', message: status === 500 ? 'internal error' : error.message });
  });

  await app.register(swagger, {
    openapi: { info: { title: 'Handoff API', version: '0.1.0', description: 'Named reports over the D.T exports. There is no endpoint that takes SQL.' } },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const webDir = options.webDir ?? path.join(REPO_ROOT, 'web', 'build');
  await app.register(securityPlugin, { db: options.db, masterKey: options.piiKey, webDir });
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(adminRoutes);
  await app.register(importRoutes, { uploadRoot: options.uploadRoot ?? uploadRootFor(options.db.path) });
  await app.register(reportRoutes);

  if (fs.existsSync(path.join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ['index.html'] });
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/api/')) {
        // The SvelteKit app is a single page: unknown paths are its client-side routes.
        return reply.type('text/html').sendFile('index.html');
      }
      return reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
    });
  }
  return app;
}
