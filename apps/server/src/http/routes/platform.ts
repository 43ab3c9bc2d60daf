import { Type } from 'typebox';
import { KefuError, UpsertContactBody, UpsertOrderBody } from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import { handleWebhook, verifyWebhook, type WebhookEvent } from '../../domain/platform/webhooks.ts';
import { errors, type App } from '../types.ts';

const WebhookBody = Type.Union([
  Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }), type: Type.Literal('contact.upserted'), data: UpsertContactBody }),
  Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }), type: Type.Literal('order.upserted'), data: UpsertOrderBody }),
]);

/** Signed webhooks from the platform: users and orders. The signature is checked before the body is trusted. */
export function platformRoutes(app: App, ctx: Ctx) {
  app.post(
    '/platform/webhooks/:orgId',
    {
      schema: {
        tags: ['platform'],
        description: 'Header `X-Kefu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256("<t>.<raw body>", webhook secret)>`; 5-minute window; deduplicated by event id.',
        params: Type.Object({ orgId: Type.String({ maxLength: 64 }) }),
        body: WebhookBody,
        response: { 200: Type.Object({ ok: Type.Boolean(), duplicate: Type.Boolean() }), ...errors },
      },
      // Verify before validation, so an unsigned request learns nothing about the schema.
      preValidation: async (req) => {
        const header = req.headers['x-kefu-signature'];
        await verifyWebhook(ctx, (req.params as { orgId: string }).orgId, typeof header === 'string' ? header : undefined, req.rawBody ?? '');
      },
    },
    async (req) => {
      if (!req.rawBody) throw new KefuError('VALIDATION_FAILED');
      const fresh = await handleWebhook(ctx, req.params.orgId, req.body as WebhookEvent);
      return { ok: true, duplicate: !fresh };
    },
  );
}
