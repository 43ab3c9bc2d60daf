import { Type } from 'typebox';
import { ContactReply, KefuError, LookupQuery, LookupReply, OrderReply, OrderSchema, UpsertContactBody, UpsertOrderBody } from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import { can } from '../../domain/policy.ts';
import { contactOrders, getContact, lookupContact, upsertContact, upsertOrder } from '../../domain/contacts/service.ts';
import { requireAgent } from '../auth.ts';
import { errors, type App } from '../types.ts';

export function contactRoutes(app: App, ctx: Ctx) {
  const tags = ['contacts'];
  const agent = requireAgent(ctx);

  app.post('/contacts', { preHandler: agent, schema: { tags, body: UpsertContactBody, response: { 200: ContactReply, 201: ContactReply, ...errors } } }, async (req, reply) => {
    if (!can(req.agent!, 'contact.write')) throw new KefuError('FORBIDDEN');
    const { contact, created } = await upsertContact(ctx, req.agent!.orgId, req.body);
    reply.code(created ? 201 : 200);
    return { contact };
  });

  app.post('/orders', { preHandler: agent, schema: { tags, body: UpsertOrderBody, response: { 200: OrderReply, 201: OrderReply, ...errors } } }, async (req, reply) => {
    if (!can(req.agent!, 'contact.write')) throw new KefuError('FORBIDDEN');
    const { order, created } = await upsertOrder(ctx, req.agent!.orgId, req.body);
    reply.code(created ? 201 : 200);
    return { order };
  });

  app.get('/contacts/lookup', { preHandler: agent, schema: { tags, querystring: LookupQuery, response: { 200: LookupReply, ...errors } } }, async (req) => {
    const q = req.query;
    const keys = [q.phone, q.platformId, q.orderNo].filter((v) => v !== undefined);
    if (keys.length !== 1) throw new KefuError('VALIDATION_FAILED', 'Give exactly one of phone, platformId or orderNo.');
    const key = q.phone !== undefined ? { phone: q.phone } : q.platformId !== undefined ? { platformId: q.platformId } : { orderNo: q.orderNo! };
    return lookupContact(ctx, req.agent!.orgId, key);
  });

  app.get('/contacts/:id', { preHandler: agent, schema: { tags, params: Type.Object({ id: Type.String() }), response: { 200: ContactReply, ...errors } } }, async (req) => ({
    contact: await getContact(ctx, req.agent!.orgId, req.params.id),
  }));

  app.get(
    '/contacts/:id/orders',
    { preHandler: agent, schema: { tags, params: Type.Object({ id: Type.String() }), response: { 200: Type.Object({ orders: Type.Array(OrderSchema) }), ...errors } } },
    async (req) => ({ orders: await contactOrders(ctx, req.agent!.orgId, req.params.id) }),
  );
}
