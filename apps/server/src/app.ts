/**
 * Boot, in one readable place: config → infrastructure (database, keys, bus) → domain → HTTP
 * routes and realtime. Everything opened here is closed in `onClose`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import pino, { type Logger } from 'pino';
import { ErrorCodes, KefuError, type ErrorBody } from '@kefu/shared';
import type { Config } from './config.ts';
import { openDatabase } from './infra/db/index.ts';
import { KeyRing } from './lib/crypto.ts';
import { EventBus, systemClock, type Clock } from './domain/bus.ts';
import type { Ctx } from './domain/context.ts';
import { platformCeiling } from './domain/tiers/policy.ts';
import { attachRealtime } from './realtime/gateway.ts';
import { Metrics } from './infra/metrics.ts';
import { authRoutes } from './http/routes/auth.ts';
import { agentRoutes } from './http/routes/agents.ts';
import { contactRoutes } from './http/routes/contacts.ts';
import { conversationRoutes } from './http/routes/conversations.ts';
import { customerRoutes } from './http/routes/customer.ts';
import { platformRoutes } from './http/routes/platform.ts';
import { tierRoutes } from './http/routes/tiers.ts';
import { templateRoutes } from './http/routes/templates.ts';
import { oversightRoutes } from './http/routes/oversight.ts';
import { startAutoReplies } from './domain/templates/autoreply.ts';
import { moderationRoutes } from './http/routes/moderation.ts';
import { startJobRunner } from './domain/moderation/postreview.ts';
import { attachmentRoutes } from './http/routes/attachments.ts';
import { AttachmentService } from './domain/attachments/service.ts';
import { LocalDiskStorage } from './domain/attachments/storage.ts';
import type { App } from './http/types.ts';

declare module 'fastify' {
  interface FastifyRequest { rawBody?: string }
}

export interface BuildOptions { clock?: Clock; logger?: Logger }

export async function buildApp(config: Config, opts: BuildOptions = {}) {
  const log = opts.logger ?? pino({ level: config.logLevel, base: { app: 'kefu' } });

  // Infrastructure
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, pgPoolSize: config.pgPoolSize });
  await database.migrate();
  const keys = KeyRing.loadOrCreate(config.dataDir, config.keysJson);
  const bus = new EventBus((err, name) => log.error({ err, event: name }, 'event listener failed'));
  const platform = { domains: config.platformDomains, tierCeiling: platformCeiling(config.tierCeilingJson) };
  const ctx: Ctx = { database, keys, bus, clock: opts.clock ?? systemClock, log, platform, dataDir: config.dataDir };
  const metrics = new Metrics(database);
  const attachments = new AttachmentService(ctx, new LocalDiskStorage(join(config.dataDir, 'attachments')), config.uploads, join(config.dataDir, 'uploads'));

  const app = Fastify({
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // JSON only, keeping the raw text for webhook signatures. No text/plain or form parsers: a
  // cross-site form cannot produce a request this API accepts (CSRF, with SameSite cookies).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    (req as { rawBody?: string }).rawBody = text;
    if (text.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new KefuError('VALIDATION_FAILED', 'The body is not valid JSON.'), undefined);
    }
  });

  // Every route, as registered: the permission-matrix test checks each has a row.
  const routes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });

  await app.register(cookie);
  app.addHook('onRequest', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (!req.url.startsWith('/api/')) return;
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const self = [`http://${req.headers.host}`, `https://${req.headers.host}`];
    if (site === 'cross-site' || (origin && origin !== 'null' && !self.includes(origin) && !config.allowedOrigins.includes(origin)) || origin === 'null') {
      throw new KefuError('CROSS_SITE_REQUEST');
    }
  });
  metrics.instrument(app);

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown[]; validationContext?: string }, req, reply) => {
    let e: KefuError;
    if (err instanceof KefuError) e = err;
    else if (err.validation) e = new KefuError('VALIDATION_FAILED', `${err.validationContext ?? 'request'} ${err.message}`, { issues: err.validation });
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') e = new KefuError('UNSUPPORTED_MEDIA_TYPE');
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') e = new KefuError('PAYLOAD_TOO_LARGE');
    else if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') e = new KefuError('VALIDATION_FAILED', 'The body is not valid JSON.');
    else if (err.statusCode && err.statusCode < 500) e = new KefuError('VALIDATION_FAILED', err.message);
    else {
      req.log.error({ err, url: req.url, method: req.method }, 'unhandled error');
      e = new KefuError('INTERNAL');
    }
    if (e.status >= 500) metrics.errors.inc({ code: e.code });
    reply.code(e.status).send(e.toBody());
  });
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes get the app; a missing file (an old asset name) is a real 404.
    const path = req.url.split('?')[0]!;
    if (req.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/socket.io') && !/\.[a-z0-9]+$/i.test(path) && webEnabled) {
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html', { maxAge: 0, immutable: false });
    }
    const body: ErrorBody = { error: { code: 'NOT_FOUND', message: ErrorCodes.NOT_FOUND.message } };
    return reply.code(404).send(body);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Kefu API', version: '1', description: 'Customer-service private messaging. Errors are `{"error": {"code", "message"}}` with stable codes.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'kefu_session' }, platformToken: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Routes
  const realtime = attachRealtime(app.server, ctx, { allowedOrigins: config.allowedOrigins });
  await app.register(
    async (api) => {
      const a = api as unknown as App;
      authRoutes(a, ctx, { secureCookies: config.secureCookies, loginRatePerMinute: config.loginRatePerMinute });
      agentRoutes(a, ctx, realtime.presence);
      contactRoutes(a, ctx);
      conversationRoutes(a, ctx, config.publicUrl);
      customerRoutes(a, ctx);
      platformRoutes(a, ctx);
      tierRoutes(a, ctx);
      templateRoutes(a, ctx);
      oversightRoutes(a, ctx);
      moderationRoutes(a, ctx, { publicUrl: config.publicUrl });
      await a.register(attachmentRoutes(ctx, attachments));
    },
    { prefix: '/api/v1' },
  );

  startAutoReplies(ctx, (orgId) => realtime.presence.anyOnline(orgId));
  const jobs = startJobRunner(ctx);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true, database: database.dialect }));
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  const webEnabled = existsSync(config.webDir);
  // Hashed assets never change: cache them for good. index.html names the current assets, so it
  // is revalidated on every load (an upgrade must not leave browsers on deleted asset names).
  if (webEnabled) {
    await app.register(fastifyStatic, {
      root: config.webDir,
      wildcard: true,
      index: 'index.html',
      cacheControl: false,
      setHeaders: (res, path) => {
        res.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.addHook('onClose', async () => {
    await jobs.stop();
    await new Promise<void>((resolve) => realtime.io.close(() => resolve()));
    await database.close();
  });

  return { app, ctx, io: realtime.io, presence: realtime.presence, metrics, routes, jobs };
}
