/** Who is asking: an agent by session cookie, or a platform user by bearer token. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KefuError } from '@kefu/shared';
import type { AgentActor, ContactActor } from '../domain/actors.ts';
import type { Ctx } from '../domain/context.ts';
import { resolveSession } from '../domain/agents/service.ts';
import { resolveCustomerToken } from '../domain/platform/customers.ts';

export const SESSION_COOKIE = 'kefu_session';

declare module 'fastify' {
  interface FastifyRequest {
    agent?: AgentActor;
    contact?: ContactActor;
  }
}

export function sessionToken(req: FastifyRequest): string | undefined {
  return req.cookies?.[SESSION_COOKIE];
}

/** preHandler: an agent session; `mfa: false` admits a session still at the second factor. */
export function requireAgent(ctx: Ctx, opts: { mfa: boolean } = { mfa: true }) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const token = sessionToken(req);
    const actor = token ? await resolveSession(ctx, token) : null;
    if (!actor) throw new KefuError('UNAUTHENTICATED');
    if (opts.mfa && !actor.mfa) throw new KefuError('MFA_REQUIRED');
    req.agent = actor;
  };
}

export function requireContact(ctx: Ctx) {
  return async (req: FastifyRequest) => {
    const h = req.headers.authorization;
    const token = h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
    req.contact = await resolveCustomerToken(ctx, token);
  };
}
