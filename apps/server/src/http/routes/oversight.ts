import { createReadStream, statSync } from 'node:fs';
import { Type } from 'typebox';
import { AuditListReply, AuditVerifyReply, ExportFilterSchema, ExportListReply, ExportReply, KefuError } from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import { exportFile, getExport, listExports, startExport } from '../../domain/oversight/export.ts';
import { listAudit, verifyAuditChain } from '../../domain/audit/service.ts';
import { requireAgent } from '../auth.ts';
import { errors, type App } from '../types.ts';

export function oversightRoutes(app: App, ctx: Ctx) {
  const agent = requireAgent(ctx);
  const tags = ['oversight'];
  const params = Type.Object({ id: Type.String({ maxLength: 64 }) });

  app.post('/exports', { preHandler: agent, schema: { tags, body: ExportFilterSchema, response: { 202: ExportReply, ...errors } } }, async (req, reply) => {
    const { info } = await startExport(ctx, req.agent!, req.body);
    reply.code(202);
    return { export: info };
  });

  app.get('/exports', { preHandler: agent, schema: { tags, response: { 200: ExportListReply, ...errors } } }, async (req) => ({ exports: await listExports(ctx, req.agent!) }));

  app.get('/exports/:id', { preHandler: agent, schema: { tags, params, response: { 200: ExportReply, ...errors } } }, async (req) => ({ export: await getExport(ctx, req.agent!, req.params.id) }));

  // Resumable: honours `Range: bytes=N-` so an interrupted download continues where it stopped.
  app.get('/exports/:id/download', { preHandler: agent, schema: { tags, params } }, async (req, reply) => {
    const info = await getExport(ctx, req.agent!, req.params.id);
    if (info.status !== 'done') throw new KefuError('CONFLICT', 'The export is not finished yet.', { status: info.status });
    const file = exportFile(ctx, info.id, info.format);
    const size = statSync(file).size;
    const name = `kefu-export-${info.createdAt.slice(0, 10)}.${info.format}`;
    reply.header('Content-Type', info.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    reply.header('Content-Disposition', `attachment; filename="${name}"`);
    reply.header('Accept-Ranges', 'bytes');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Cache-Control', 'private, no-store');
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (range && (range[1] || range[2])) {
      let start = range[1] ? Number(range[1]) : size - Number(range[2]);
      let end = range[1] && range[2] ? Number(range[2]) : size - 1;
      start = Math.max(0, start);
      end = Math.min(size - 1, end);
      if (start > end || start >= size) {
        reply.code(416).header('Content-Range', `bytes */${size}`);
        return reply.send();
      }
      reply.code(206).header('Content-Range', `bytes ${start}-${end}/${size}`).header('Content-Length', String(end - start + 1));
      return reply.send(createReadStream(file, { start, end }));
    }
    reply.header('Content-Length', String(size));
    return reply.send(createReadStream(file));
  });

  app.get('/audit', { preHandler: agent, schema: { tags, querystring: Type.Object({ action: Type.Optional(Type.String()), beforeSeq: Type.Optional(Type.Integer()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }), response: { 200: AuditListReply, ...errors } } }, async (req) => {
    if (req.agent!.tier !== 'admin') throw new KefuError('TIER_FORBIDDEN');
    return { entries: await listAudit(ctx, req.agent!.orgId, req.query) };
  });

  app.get('/audit/verify', { preHandler: agent, schema: { tags, response: { 200: AuditVerifyReply, ...errors } } }, async (req) => {
    if (req.agent!.tier !== 'admin') throw new KefuError('TIER_FORBIDDEN');
    return verifyAuditChain(ctx, req.agent!.orgId);
  });
}
