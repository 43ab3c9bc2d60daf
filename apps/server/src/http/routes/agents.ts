import { AgentListReply, AgentReply, CreateAgentBody, KefuError } from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import { can } from '../../domain/policy.ts';
import { createAgent, listAgents } from '../../domain/agents/service.ts';
import { requireAgent } from '../auth.ts';
import { errors, type App } from '../types.ts';

export function agentRoutes(app: App, ctx: Ctx, presence: { isOnline(agentId: string): boolean }) {
  const tags = ['agents'];
  app.get('/agents', { preHandler: requireAgent(ctx), schema: { tags, response: { 200: AgentListReply, ...errors } } }, async (req) => {
    if (!can(req.agent!, 'agent.list')) throw new KefuError('FORBIDDEN');
    const agents = await listAgents(ctx, req.agent!.orgId);
    return { agents: agents.map((a) => ({ ...a, online: presence.isOnline(a.id) })) };
  });

  app.post('/agents', { preHandler: requireAgent(ctx), schema: { tags, body: CreateAgentBody, response: { 201: AgentReply, ...errors } } }, async (req, reply) => {
    if (!can(req.agent!, 'agent.create')) throw new KefuError('TIER_FORBIDDEN');
    const agent = await createAgent(ctx, { orgId: req.agent!.orgId, ...req.body });
    reply.code(201);
    return { agent };
  });
}
