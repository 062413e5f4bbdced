// Thin adapter: HTTP query string -> core report service -> JSON, CSV or Arrow IPC.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type TSchema } from '@fastify/type-provider-typebox';
import { ParamError, type ParamSpec } from '../core/reports/params.ts';
import { UnknownReport, listReports } from '../core/reports/registry.ts';
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

async function sendReport(app: FastifyInstance, name: string, query: Record<string, string>, accept: string | undefined, reply: FastifyReply) {
  const { format, ...raw } = query;
  if (format !== undefined && format !== 'json' && format !== 'csv') {
    return reply.status(400).send({ error: 'bad_request', param: 'format', message: 'parameter "format" must be json or csv' });
  }
  try {
    const { result, cached } = await app.handoff.reports.run(name, raw);
    reply.header('x-dataset-version', String(result.datasetVersion)).header('x-cache', cached ? 'hit' : 'miss');
    if (format === 'csv') {
      return reply.type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}-v${result.datasetVersion}.csv"`)
        .send(toCsv(result.columns, result.rows));
    }
    if (accept?.includes(ARROW_STREAM)) return reply.type(ARROW_STREAM).send(Buffer.from(toArrowStream(result)));
    return result;
  } catch (error) {
    if (error instanceof ParamError) return reply.status(400).send({ error: 'bad_request', param: error.param, message: error.message });
    if (error instanceof UnknownReport) return reply.status(404).send({ error: 'not_found', message: error.message });
    if (error instanceof ReportTimeout) return reply.status(503).send({ error: 'timeout', message: error.message });
    throw error;
  }
}

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/reports', { schema: { summary: 'The report catalogue with parameter declarations' } }, async () => catalogue());

  // One documented route per report (its parameters in the OpenAPI page), all served by one adapter.
  for (const report of listReports()) {
    const properties: Record<string, TSchema> = { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) };
    for (const p of report.params) properties[p.name] = Type.Optional(paramSchema(p));
    app.get(`/api/reports/${report.name}`, {
      schema: { summary: report.title, description: report.description, querystring: Type.Object(properties, { additionalProperties: false }) },
    }, async (request, reply) => sendReport(app, report.name, request.query as Record<string, string>, request.headers.accept, reply));
  }

  app.get('/api/reports/:name', { schema: { hide: true } }, async (request, reply) => {
    const { name } = request.params as { name: string };
    return reply.status(404).send({ error: 'not_found', message: new UnknownReport(name).message });
  });
}
