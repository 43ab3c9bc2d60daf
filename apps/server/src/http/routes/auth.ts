import { AgentReply, LoginBody, LoginReply, MeReply, OkReply, TotpEnrollReply, TotpVerifyBody, KefuError } from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import { enrollTotp, getAgent, login, logout, verifyTotp } from '../../domain/agents/service.ts';
import { requireAgent, SESSION_COOKIE } from '../auth.ts';
import { RateLimiter } from '../rate-limit.ts';
import { errors, type App } from '../types.ts';

export function authRoutes(app: App, ctx: Ctx, opts: { secureCookies: boolean; loginRatePerMinute: number }) {
  const loginLimiter = new RateLimiter(opts.loginRatePerMinute, 60_000);
  const totpLimiter = new RateLimiter(10, 60_000);
  const tags = ['auth'];

  app.post('/auth/login', { schema: { tags, body: LoginBody, response: { 200: LoginReply, ...errors } } }, async (req, reply) => {
    if (!loginLimiter.take(`ip:${req.ip}`) || !loginLimiter.take(`email:${req.body.email.toLowerCase()}`)) throw new KefuError('RATE_LIMITED');
    const result = await login(ctx, req.body.email, req.body.password, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
    reply.setCookie(SESSION_COOKIE, result.sessionToken, { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies });
    return { next: result.next };
  });

  app.post('/auth/totp/enroll', { preHandler: requireAgent(ctx, { mfa: false }), schema: { tags, response: { 200: TotpEnrollReply, ...errors } } }, async (req) =>
    enrollTotp(ctx, req.agent!),
  );

  app.post('/auth/totp/verify', { preHandler: requireAgent(ctx, { mfa: false }), schema: { tags, body: TotpVerifyBody, response: { 200: AgentReply, ...errors } } }, async (req) => {
    if (!totpLimiter.take(req.agent!.agentId)) throw new KefuError('RATE_LIMITED');
    return { agent: await verifyTotp(ctx, req.agent!, req.body.code) };
  });

  app.get('/auth/me', { preHandler: requireAgent(ctx, { mfa: false }), schema: { tags, response: { 200: MeReply, ...errors } } }, async (req) => ({
    agent: await getAgent(ctx, req.agent!.agentId),
    mfa: req.agent!.mfa,
  }));

  app.post('/auth/logout', { preHandler: requireAgent(ctx, { mfa: false }), schema: { tags, response: { 200: OkReply, ...errors } } }, async (req, reply) => {
    await logout(ctx, req.agent!.sessionId);
    ctx.bus.emit('session.ended', { sessionId: req.agent!.sessionId, agentId: req.agent!.agentId });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
}
