// Thin adapter: HTTP query string -> core report service -> JSON, CSV or Arrow IPC.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from '@fastify/type-provider-typebox';
import { ParamError, type ParamSpec } from '../core/reports/params.ts';
import { UnknownReport, findReport, listReports, type ReportResult } from '../core/reports/registry.ts';
import { appendAudit, cacheKeyPart, reportAccess, suppressSmallCounts, type Role } from '../core/auth/index.ts';
import type { ReportDefinition } from '../core/reports/definitions.ts';
import { ReportTimeout } from '../core/reports/service.ts';
import { toCsv } from '../core/reports/csv.ts';
import { toArrowStream } from '../core/reports/arrow.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

function paramSchema(spec: ParamSpec): TSchema {
  const description = spec.description;
  switch (spec.type) {
    case 'enum': return Type.Union(spec.allowed!.map((a) => Type.Literal(a)), { description });
    case 'date': return Type.String({ description, pattern: '^(\\d{4}-\\d{2}-\\d{2}|as_of(-\\d+d)?)$' });
    case 'integer': return Type.String({ description, pattern: '^-?\\d+$' });
    case 'boolean': return Type.Union([Type.Literal('true'), Type.Literal('false')], { description });
    default: return Type.String({ description, maxLength: 2000 });
  }
}

export function catalogue() {
  return listReports().map((r) => ({
    name: r.name,
    title: r.title,
    description: r.description,
    contactLevel: Boolean(r.contactLevel),
    params: r.params.map((p) => ({ name: p.name, type: p.type, default: p.default, allowed: p.allowed, description: p.description, required: Boolean(p.required) })),
  }));
}

/** What a role gets: the rows as they are, the rows through small-count suppression, or nothing. */
export function accessFor(role: Role, report: ReportDefinition): 'full' | 'suppressed' | 'forbidden' {
  const access = reportAccess(role, { name: report.name, level: report.contactLevel ? 'contact-level' : 'aggregate' });
  // A report with no suppression declaration is never shown to aggregate-only roles: fail closed.
  return access === 'suppressed' && !report.privacy ? 'forbidden' : access;
}

/** Small-count suppression audits the whole table in JS; past this size it would hold the event loop for
 *  seconds to minutes, so aggregate roles are asked for a coarser table instead. */
export const MAX_SUPPRESSED_ROWS = 500;

export class TooDetailed extends Error {
  constructor(readonly report: string, readonly rows: number) {
    super(`report "${report}" has ${rows} rows for these filters; for small-count protection aggregate views are limited to ${MAX_SUPPRESSED_ROWS}: choose a shorter window, a coarser grain or level, or a region`);
  }
}

function suppressedFor(report: ReportDefinition): (result: ReportResult) => ReportResult {
  return (result) => {
    if (result.rows.length > MAX_SUPPRESSED_ROWS) throw new TooDetailed(report.name, result.rows.length);
    const privacy = report.privacy!;
    const suppressed = suppressSmallCounts(privacy.spec, privacy.prepare ? privacy.prepare(result.rows) : result.rows);
    const kept = new Set(suppressed.columns.map((c) => c.name));
    // Columns a prepare step added (counts behind percentages) are listed too, as text: they may hold "<5".
    const known = new Set(result.columns.map((c) => c.name));
    const added = suppressed.columns.filter((c) => !known.has(c.name)).map((c) => ({ name: c.name, type: 'INTEGER' }));
    return { ...result, columns: [...result.columns.filter((c) => kept.has(c.name)), ...added], rows: suppressed.rows };
  };
}

async function sendReport(app: FastifyInstance, request: FastifyRequest, name: string, reply: FastifyReply) {
  const { format, ...raw } = request.query as Record<string, string>;
  if (format !== undefined && format !== 'json' && format !== 'csv') {
    return reply.status(400).send({ error: 'bad_request', param: 'format', message: 'parameter "format" must be json or csv' });
  }
  const user = request.sessionUser!;
  try {
    const report = findReport(name);
    const access = accessFor(user.role, report);
    // The route's onRequest hook answers this before validation; kept here too so no path serves full rows.
    if (access === 'forbidden') return reply.status(403).send({ error: 'forbidden', message: `report "${name}" is not available to the ${user.role} role` });
    const { result, cached } = await app.handoff.reports.run(name, raw, cacheKeyPart(user.role), access === 'suppressed' ? suppressedFor(report) : undefined);
    reply.header('x-dataset-version', String(result.datasetVersion)).header('x-cache', cached ? 'hit' : 'miss');
    const accept = request.headers.accept;
    const exported = format === 'csv' ? 'csv' : accept?.includes(ARROW_STREAM) ? 'arrow' : null;
    if (exported) {
      await app.auth.withStore((store) => appendAudit(store, { action: 'export', actorLogin: user.login, ip: request.ip, target: name, detail: { format: exported, params: result.params, rows: result.rows.length } }));
    }
    if (exported === 'csv') {
      return reply.type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}-v${result.datasetVersion}.csv"`)
        .send(toCsv(result.columns, result.rows));
    }
    if (exported === 'arrow') return reply.type(ARROW_STREAM).send(Buffer.from(toArrowStream(result)));
    return result;
  } catch (error) {
    if (error instanceof ParamError) return reply.status(400).send({ error: 'bad_request', param: error.param, message: error.message });
    if (error instanceof UnknownReport) return reply.status(404).send({ error: 'not_found', message: error.message });
    if (error instanceof ReportTimeout) return reply.status(503).send({ error: 'timeout', message: error.message });
    if (error instanceof TooDetailed) return reply.status(400).send({ error: 'too_detailed', message: error.message });
    throw error;
  }
}

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/reports', { config: { permission: 'reports.aggregate' }, schema: { summary: 'The report catalogue with parameter declarations, and which this role may open' } },
    async (request) => catalogue().map((r) => ({ ...r, access: accessFor(request.sessionUser!.role, findReport(r.name)) })));

  // One documented route per report (its parameters in the OpenAPI page), all served by one adapter.
  for (const report of listReports()) {
    const properties: Record<string, TSchema> = { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) };
    for (const p of report.params) properties[p.name] = Type.Optional(paramSchema(p));
    app.get(`/api/reports/${report.name}`, {
      config: { permission: 'reports.aggregate' },
      // Before parameter validation: a role that may not open the report learns nothing about its parameters.
      onRequest: async (request, reply) => {
        if (request.sessionUser && accessFor(request.sessionUser.role, report) === 'forbidden') {
          return reply.status(403).send({ error: 'forbidden', message: `report "${report.name}" shows single contacts or has no suppression rules; the ${request.sessionUser.role} role sees aggregates only` });
        }
      },
      schema: { summary: report.title, description: report.description, querystring: Type.Object(properties, { additionalProperties: false }) },
    }, async (request, reply) => sendReport(app, request, report.name, reply));
  }

  app.get('/api/reports/:name', { config: { permission: 'reports.aggregate' }, schema: { hide: true } }, async (request, reply) => {
    const { name } = request.params as { name: string };
    return reply.status(404).send({ error: 'not_found', message: new UnknownReport(name).message });
  });
}
