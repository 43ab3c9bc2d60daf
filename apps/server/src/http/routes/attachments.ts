/**
 * Uploading and serving attachments. The multipart parser is registered in this plugin's scope
 * only: every other route still accepts JSON alone. A multipart form is a "simple" cross-site
 * request, so uploads rely on the app-wide onRequest CSRF check (Origin / Sec-Fetch-Site), which
 * runs for every POST under /api — including these.
 *
 * Agents fetch files with their session cookie (an `<img>` sends it). Platform users either send
 * their bearer token, or ask `GET /customer/attachments/:id/link` for a short-lived signed URL
 * that works in `<img src>` / `<video src>` without headers.
 */
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AttachmentReply, KefuError } from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import { contentDisposition, type AttachmentService, type Download, type UploadTarget, type Variant } from '../../domain/attachments/service.ts';
import { requireAgent, requireContact, sessionToken } from '../auth.ts';
import { resolveSession } from '../../domain/agents/service.ts';
import { resolveCustomerToken } from '../../domain/platform/customers.ts';
import type { Actor } from '../../domain/actors.ts';
import { errors, type App } from '../types.ts';

/** Room for the multipart envelope (boundaries, part headers) around the file itself. */
const ENVELOPE_BYTES = 64 * 1024;

export const AttachmentLinkReply = Type.Object({
  url: Type.String(),
  thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time' }),
});

export function attachmentRoutes(ctx: Ctx, service: AttachmentService) {
  return async function attachmentsPlugin(scope: App) {
    await scope.register(multipart, {
      // A backstop: the service counts bytes against the (possibly tighter) cap of the target.
      limits: { fileSize: service.limits.maxBytes + 1, files: 1, fields: 4, parts: 5, fieldSize: 1024, headerPairs: 20 },
      throwFileSizeLimit: false,
    });
    // Abandoned uploads (never sent) are swept hourly.
    const sweep = setInterval(() => {
      service.sweepUnsent().catch((err) => ctx.log.error({ err }, 'sweeping unsent attachments failed'));
    }, 3600_000).unref();
    scope.addHook('onClose', async () => clearInterval(sweep));
    const tags = ['attachments'];
    const agent = requireAgent(ctx);
    const contact = requireContact(ctx);
    const id = Type.String({ minLength: 1, maxLength: 64 });
    const upload = { consumes: ['multipart/form-data'], response: { 201: AttachmentReply, ...errors } };

    scope.post(
      '/conversations/:id/attachments',
      { preHandler: agent, schema: { tags, summary: 'Upload a file into a conversation (multipart, field "file")', params: Type.Object({ id }), ...upload } },
      async (req, reply) => {
        const target = await service.agentTarget(req.agent!, req.params.id);
        reply.code(201);
        return { attachment: await receive(req, service, target) };
      },
    );

    scope.post('/customer/attachments', { preHandler: contact, schema: { tags, summary: 'Upload an image or video as the platform user', ...upload } }, async (req, reply) => {
      const target = await service.contactTarget(req.contact!);
      reply.code(201);
      return { attachment: await receive(req, service, target) };
    });

    scope.get(
      '/customer/attachments/:id/link',
      { preHandler: contact, schema: { tags, summary: 'A short-lived signed URL for <img>/<video> on the customer page', params: Type.Object({ id }), response: { 200: AttachmentLinkReply, ...errors } } },
      async (req) => service.signedLink(await service.visibleTo(req.contact!, req.params.id)),
    );

    const serve = (variant: Variant) => async (req: FastifyRequest<{ Params: { id: string }; Querystring: { exp?: number; sig?: string } }>, reply: FastifyReply) => {
      const { exp, sig } = req.query;
      const row = sig !== undefined && exp !== undefined
        ? await service.bySignature(req.params.id, exp, sig)
        : await service.visibleTo(await readerOf(ctx, req), req.params.id);
      return send(reply, await service.open(row, variant, req.headers.range));
    };
    const getSchema = {
      tags,
      params: Type.Object({ id }),
      querystring: Type.Object({ exp: Type.Optional(Type.Integer()), sig: Type.Optional(Type.String({ maxLength: 64 })) }),
      response: errors,
    };
    scope.get('/attachments/:id', { schema: { ...getSchema, summary: 'The file (session cookie, bearer token or signed link)' } }, serve('original'));
    scope.get('/attachments/:id/thumbnail', { schema: { ...getSchema, summary: 'A 320 px WebP thumbnail of an image' } }, serve('thumbnail'));
  };
}

/** A reader is an agent by cookie or a platform user by bearer token. */
async function readerOf(ctx: Ctx, req: FastifyRequest): Promise<Actor> {
  if (req.headers.authorization?.startsWith('Bearer ')) return resolveCustomerToken(ctx, req.headers.authorization.slice(7).trim());
  const token = sessionToken(req);
  const actor = token ? await resolveSession(ctx, token) : null;
  if (!actor) throw new KefuError('UNAUTHENTICATED');
  if (!actor.mfa) throw new KefuError('MFA_REQUIRED');
  return actor;
}

async function receive(req: FastifyRequest, service: AttachmentService, target: UploadTarget) {
  if (!req.isMultipart()) throw new KefuError('UNSUPPORTED_MEDIA_TYPE', 'Upload the file as multipart/form-data in the field "file".');
  // Refuse a declared oversize body before reading any of it.
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > target.maxBytes + ENVELOPE_BYTES) throw service.tooLarge(target);
  const part = await req.file();
  if (!part) throw new KefuError('VALIDATION_FAILED', 'The form has no file.', { field: 'file' });
  return service.upload(target, part.file, part.filename, () => part.file.truncated);
}

function send(reply: FastifyReply, d: Download) {
  reply
    .header('content-type', d.delivery.contentType)
    .header('content-length', String(d.size))
    .header('content-disposition', contentDisposition(d.delivery.inline, d.filename))
    .header('x-content-type-options', 'nosniff')
    // Even if a browser were talked into rendering it, a served file runs nothing.
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, max-age=3600')
    .header('accept-ranges', 'bytes');
  if (d.range) reply.code(206).header('content-range', `bytes ${d.range.start}-${d.range.end}/${d.range.total}`);
  return reply.send(d.stream);
}
