import { Type } from 'typebox';
import {
  ConversationListQuery, ConversationListReply, ConversationReply, HistoryQuery, HistoryReply, MessageReply, OkReply,
  OpenConversationBody, ReceiptBody, SendMessageBody, UpdateConversationBody,
} from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import {
  getConversation, history, listConversations, markReceipt, openConversation, sendAgentMessage, updateConversation,
} from '../../domain/conversations/service.ts';
import { requireAgent } from '../auth.ts';
import { relyingParty } from './moderation.ts';
import { errors, type App } from '../types.ts';

export function conversationRoutes(app: App, ctx: Ctx, publicUrl: string | null = null) {
  const tags = ['conversations'];
  const agent = requireAgent(ctx);
  const params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

  app.get('/conversations', { preHandler: agent, schema: { tags, querystring: ConversationListQuery, response: { 200: ConversationListReply, ...errors } } }, async (req) => ({
    conversations: await listConversations(ctx, req.agent!, req.query),
  }));

  app.post('/conversations', { preHandler: agent, schema: { tags, body: OpenConversationBody, response: { 200: ConversationReply, 201: ConversationReply, ...errors } } }, async (req, reply) => {
    const { conversation, created } = await openConversation(ctx, req.agent!, req.body);
    reply.code(created ? 201 : 200);
    return { conversation };
  });

  app.get('/conversations/:id', { preHandler: agent, schema: { tags, params, response: { 200: ConversationReply, ...errors } } }, async (req) => ({
    conversation: await getConversation(ctx, req.agent!, req.params.id),
  }));

  app.patch('/conversations/:id', { preHandler: agent, schema: { tags, params, body: UpdateConversationBody, response: { 200: ConversationReply, ...errors } } }, async (req) => ({
    conversation: await updateConversation(ctx, req.agent!, req.params.id, req.body),
  }));

  app.get('/conversations/:id/messages', { preHandler: agent, schema: { tags, params, querystring: HistoryQuery, response: { 200: HistoryReply, ...errors } } }, async (req) =>
    history(ctx, req.agent!, req.params.id, req.query),
  );

  app.post(
    '/conversations/:id/messages',
    { preHandler: agent, schema: { tags, params, body: SendMessageBody, response: { 200: MessageReply, 201: MessageReply, ...errors } } },
    async (req, reply) => {
      const { bypassReason, stepUpId, ...input } = req.body;
      const { message, created } = await sendAgentMessage(ctx, req.agent!, req.params.id, input, {
        ...(bypassReason ? { bypassReason } : {}),
        ...(stepUpId ? { stepUpId } : {}),
        rp: relyingParty(req, publicUrl),
      });
      reply.code(created ? 201 : 200);
      return { message };
    },
  );

  app.post('/conversations/:id/receipts', { preHandler: agent, schema: { tags, params, body: ReceiptBody, response: { 200: OkReply, ...errors } } }, async (req) =>
    markReceipt(ctx, req.agent!, req.params.id, req.body.kind, req.body.uptoSeq),
  );
}
