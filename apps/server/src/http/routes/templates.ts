import { Type } from 'typebox';
import {
  AutoReplyBody, AutoReplyListReply, AutoReplyRuleReply, CannedListReply, CannedReplyReply, CreateCannedBody, OkReply, RenderCannedBody, RenderedReply, UpdateCannedBody,
} from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import { createCanned, deleteCanned, deleteRule, listCanned, listRules, renderCanned, updateCanned, upsertRule } from '../../domain/templates/service.ts';
import { requireAgent } from '../auth.ts';
import { errors, type App } from '../types.ts';

export function templateRoutes(app: App, ctx: Ctx) {
  const agent = requireAgent(ctx);
  const tags = ['templates'];
  const params = Type.Object({ id: Type.String({ maxLength: 64 }) });

  app.get('/canned-replies', { preHandler: agent, schema: { tags, response: { 200: CannedListReply, ...errors } } }, async (req) => listCanned(ctx, req.agent!));

  app.post('/canned-replies', { preHandler: agent, schema: { tags, body: CreateCannedBody, response: { 201: CannedReplyReply, ...errors } } }, async (req, reply) => {
    reply.code(201);
    return { reply: await createCanned(ctx, req.agent!, req.body) };
  });

  app.patch('/canned-replies/:id', { preHandler: agent, schema: { tags, params, body: UpdateCannedBody, response: { 200: CannedReplyReply, ...errors } } }, async (req) => ({
    reply: await updateCanned(ctx, req.agent!, req.params.id, req.body),
  }));

  app.delete('/canned-replies/:id', { preHandler: agent, schema: { tags, params, response: { 200: OkReply, ...errors } } }, async (req) => {
    await deleteCanned(ctx, req.agent!, req.params.id);
    return { ok: true };
  });

  app.post('/canned-replies/:id/render', { preHandler: agent, schema: { tags, params, body: RenderCannedBody, response: { 200: RenderedReply, ...errors } } }, async (req) =>
    renderCanned(ctx, req.agent!, req.params.id, req.body.conversationId),
  );

  app.get('/auto-replies', { preHandler: agent, schema: { tags, response: { 200: AutoReplyListReply, ...errors } } }, async (req) => ({ rules: await listRules(ctx, req.agent!.orgId) }));

  app.post('/auto-replies', { preHandler: agent, schema: { tags, body: AutoReplyBody, response: { 201: AutoReplyRuleReply, ...errors } } }, async (req, reply) => {
    reply.code(201);
    return { rule: await upsertRule(ctx, req.agent!, null, req.body) };
  });

  app.patch('/auto-replies/:id', { preHandler: agent, schema: { tags, params, body: AutoReplyBody, response: { 200: AutoReplyRuleReply, ...errors } } }, async (req) => ({
    rule: await upsertRule(ctx, req.agent!, req.params.id, req.body),
  }));

  app.delete('/auto-replies/:id', { preHandler: agent, schema: { tags, params, response: { 200: OkReply, ...errors } } }, async (req) => {
    await deleteRule(ctx, req.agent!, req.params.id);
    return { ok: true };
  });
}
