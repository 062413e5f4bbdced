import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/health', {
    config: { permission: 'public' },
    schema: {
      summary: 'Liveness and the dataset version',
      response: { 200: Type.Object({ ok: Type.Boolean(), datasetVersion: Type.Integer() }) },
    },
  }, async () => ({ ok: true, datasetVersion: await app.handoff.reports.datasetVersion() }));
}
