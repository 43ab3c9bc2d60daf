import { CustomerSessionReply, HistoryQuery, HistoryReply, MessageReply, OkReply, ReceiptBody, SendMessageBody } from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import { customerHistory, customerSession, markReceipt, sendContactMessage } from '../../domain/conversations/service.ts';
import { presentContact } from '../../domain/presenters.ts';
import { requireContact } from '../auth.ts';
import { errors, type App } from '../types.ts';

/** The platform user's side (customer H5 page), authenticated by a platform-signed token. */
export function customerRoutes(app: App, ctx: Ctx) {
  const tags = ['customer'];
  const contact = requireContact(ctx);

  app.get('/customer/session', { preHandler: contact, schema: { tags, response: { 200: CustomerSessionReply, ...errors } } }, async (req) => {
    const s = await customerSession(ctx, req.contact!);
    return { contact: presentContact(s.contact), conversation: s.conversation, messages: s.messages };
  });

  app.get('/customer/messages', { preHandler: contact, schema: { tags, querystring: HistoryQuery, response: { 200: HistoryReply, ...errors } } }, async (req) =>
    customerHistory(ctx, req.contact!, req.query),
  );

  app.post('/customer/messages', { preHandler: contact, schema: { tags, body: SendMessageBody, response: { 200: MessageReply, 201: MessageReply, ...errors } } }, async (req, reply) => {
    const { message, created } = await sendContactMessage(ctx, req.contact!, req.body);
    reply.code(created ? 201 : 200);
    return { message };
  });

  app.post('/customer/receipts', { preHandler: contact, schema: { tags, body: ReceiptBody, response: { 200: OkReply, ...errors } } }, async (req) =>
    markReceipt(ctx, req.contact!, null, req.body.kind, req.body.uptoSeq),
  );
}
