// Admin uploads: files land in a private temporary folder, are imported in one transaction in the
// background (progress is polled), audited, and the folder is removed whatever happened.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { Type } from '@fastify/type-provider-typebox';
import { appendAudit } from '../core/auth/index.ts';
import { queryRows } from '../core/db/database.ts';
import { ImportFailed, importFiles, type ImportSummary } from '../core/import/index.ts';

export interface ImportRouteOptions { uploadRoot: string; maxFileBytes?: number; maxFiles?: number }

interface Job { state: 'running' | 'ok' | 'refused' | 'failed'; progress: number; phase: string; message: string; summary?: ImportSummary }

function safeName(name: string): string {
  const base = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
  return base.length > 0 && !base.startsWith('.') ? base : 'upload';
}

export async function importRoutes(app: FastifyInstance, options: ImportRouteOptions): Promise<void> {
  const jobs = new Map<string, Job>();
  fs.mkdirSync(options.uploadRoot, { recursive: true, mode: 0o700 });
  await app.register(multipart, { limits: { fileSize: options.maxFileBytes ?? 200 * 1024 * 1024, files: options.maxFiles ?? 5000, fields: 10 } });

  app.post('/api/imports', { config: { permission: 'import' }, schema: { summary: 'Upload D.T exports or canonical files (multipart); imports them in the background' } }, async (request, reply) => {
    const attemptId = crypto.randomUUID();
    const dir = path.join(options.uploadRoot, attemptId);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const displayNames = new Map<string, string>();
    const files: string[] = [];
    try {
      for await (const part of request.files()) {
        // Folders dropped in the page arrive with relative paths: safeName keeps only a plain file name,
        // and the index keeps two files of the same name apart.
        const target = path.join(dir, `${String(files.length).padStart(5, '0')}-${safeName(part.filename)}`);
        await pipeline(part.file, fs.createWriteStream(target, { mode: 0o600 }));
        if (part.file.truncated) throw Object.assign(new Error(`${part.filename}: the file is larger than the upload limit`), { statusCode: 413 });
        files.push(target);
        displayNames.set(target, part.filename);
      }
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      return reply.status(status).send({ error: 'bad_upload', message: (error as Error).message });
    }
    if (files.length === 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      return reply.status(400).send({ error: 'bad_upload', message: 'no files in the upload' });
    }
    const job: Job = { state: 'running', progress: 0, phase: 'read', message: `importing ${files.length} file(s)` };
    jobs.set(attemptId, job);
    const actor = request.sessionUser!.login;
    const ip = request.ip;
    const phases = ['read', 'stage', 'merge', 'commit', 'done'];
    void importFiles(app.handoff.db, files, {
      piiKey: app.handoff.piiKey, attemptId, displayNames, actor,
      onProgress: (p) => {
        const index = phases.indexOf(p.phase);
        const within = p.total > 0 ? p.done / p.total : 1;
        job.phase = p.phase;
        job.progress = Math.min(1, (index + within) / (phases.length - 1));
        // The page shows the message under its bar: say why the bar starts again.
        if (p.note) job.message = `${job.message.split(': ')[0]}: ${p.note}`;
      },
    }).then((summary) => {
      Object.assign(job, { state: 'ok', progress: 1, message: summary.message, summary });
    }, (error) => {
      const summary = error instanceof ImportFailed ? error.summary : undefined;
      Object.assign(job, { state: summary?.outcome ?? 'failed', message: (error as Error).message, summary });
    }).finally(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      await app.auth.withStore((store) => appendAudit(store, {
        action: 'import', actorLogin: actor, ip, target: attemptId,
        detail: { outcome: job.state, files: files.length, version: job.summary?.version ?? null, rejects: job.summary?.rejects ?? 0 },
      })).catch((e) => app.log.error({ err: { message: (e as Error).message } }, 'audit failed'));
    });
    return reply.status(202).send({ attemptId });
  });

  app.get('/api/imports/:attemptId', {
    config: { permission: 'import' },
    schema: { summary: 'Progress and outcome of an import', params: Type.Object({ attemptId: Type.String({ maxLength: 64 }) }) },
  }, async (request, reply) => {
    const { attemptId } = request.params as { attemptId: string };
    const job = jobs.get(attemptId);
    if (!job) return reply.status(404).send({ error: 'not_found', message: 'no such import in this server run; see the history' });
    const s = job.summary;
    return {
      state: job.state, progress: job.progress, phase: job.phase, message: job.message,
      version: s?.version ?? null, datasetVersion: s?.datasetVersion ?? null, counts: s?.counts ?? null,
      rejects: s?.rejects ?? 0, unparsed: s?.unparsed ?? 0, skipped: s?.skipped ?? 0,
    };
  });

  app.get('/api/imports', { config: { permission: 'import' }, schema: { summary: 'Import history, newest first' } }, async () =>
    queryRows(app.handoff.db.connection, `SELECT attempt_id, version, outcome, message, len(files)::INTEGER AS files,
      started_at::VARCHAR AS started_at, finished_at::VARCHAR AS finished_at, counts_json, rejects_count, unparsed_count, skipped_count
      FROM imports ORDER BY started_at DESC LIMIT 200`));

  app.get('/api/imports/:attemptId/issues', {
    config: { permission: 'import' },
    schema: { summary: 'Rejected rows, unparsed notes and skipped files of one import', params: Type.Object({ attemptId: Type.String({ maxLength: 64 }) }) },
  }, async (request) => {
    const { attemptId } = request.params as { attemptId: string };
    return queryRows(app.handoff.db.connection, `SELECT kind, file, row_number, field, value, reason FROM import_issues
      WHERE attempt_id = $attempt ORDER BY kind, file, row_number LIMIT 5000`, { attempt: attemptId });
  });
}
