import { Type } from 'typebox';
import { AgentReply, KefuError, MyPolicyReply, OrgPolicyPatch, OrgPolicyReply, PolicyChangesReply, QuotaSchema, UpdateAgentBody } from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import { effectivePolicy, orgPolicies, policyChanges, updateOrgPolicy } from '../../domain/tiers/policy.ts';
import { orgTimeZone, quotaState } from '../../domain/tiers/quota.ts';
import { resetSecondFactor, updateAgent } from '../../domain/agents/service.ts';
import { requireAgent } from '../auth.ts';
import { errors, type App } from '../types.ts';
import type { AgentActor } from '../../domain/actors.ts';

const requireAdmin = (a: AgentActor) => {
  if (a.tier !== 'admin') throw new KefuError('TIER_FORBIDDEN');
};

export function tierRoutes(app: App, ctx: Ctx) {
  const agent = requireAgent(ctx);
  const tags = ['tiers'];

  app.get('/me/quota', { preHandler: agent, schema: { tags, response: { 200: QuotaSchema, ...errors } } }, async (req) => {
    const a = req.agent!;
    return quotaState(ctx, a.agentId, (await effectivePolicy(ctx, a.orgId, a.tier)).dailyMessages, await orgTimeZone(ctx, a.orgId));
  });

  app.get('/me/policy', { preHandler: agent, schema: { tags, response: { 200: MyPolicyReply, ...errors } } }, async (req) => {
    const a = req.agent!;
    const policy = await effectivePolicy(ctx, a.orgId, a.tier);
    return { tier: a.tier, policy, quota: await quotaState(ctx, a.agentId, policy.dailyMessages, await orgTimeZone(ctx, a.orgId)) };
  });

  app.get('/org/policy', { preHandler: agent, schema: { tags, response: { 200: OrgPolicyReply, ...errors } } }, async (req) => {
    requireAdmin(req.agent!);
    return orgPolicies(ctx, req.agent!.orgId);
  });

  app.patch('/org/policy', { preHandler: agent, schema: { tags, body: OrgPolicyPatch, response: { 200: OrgPolicyReply, ...errors } } }, async (req) => {
    requireAdmin(req.agent!);
    return updateOrgPolicy(ctx, req.agent!.orgId, req.agent!.agentId, req.body);
  });

  app.get('/org/policy/changes', { preHandler: agent, schema: { tags, response: { 200: PolicyChangesReply, ...errors } } }, async (req) => {
    requireAdmin(req.agent!);
    return { changes: await policyChanges(ctx, req.agent!.orgId) };
  });

  const params = Type.Object({ id: Type.String({ maxLength: 64 }) });
  app.patch('/agents/:id', { preHandler: agent, schema: { tags: ['agents'], params, body: UpdateAgentBody, response: { 200: AgentReply, ...errors } } }, async (req) => {
    requireAdmin(req.agent!);
    return { agent: await updateAgent(ctx, req.agent!, req.params.id, req.body) };
  });

  app.post('/agents/:id/reset-mfa', { preHandler: agent, schema: { tags: ['agents'], params, response: { 200: AgentReply, ...errors } } }, async (req) => {
    requireAdmin(req.agent!);
    return { agent: await resetSecondFactor(ctx, req.agent!, req.params.id) };
  });
}
