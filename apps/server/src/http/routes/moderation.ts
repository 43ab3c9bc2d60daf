import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  AddLexiconEntryBody, AppealBody, AppealDecisionBody, DecideReviewBody, DecideReviewReply, DraftCheckReply, HeldListReply, HeldReply, ImportLexiconBody, ImportLexiconReply,
  LexiconListReply, LexiconTestBody, OkReply, PostReviewListReply, RejectHeldBody, ResolveCaseBody, ReviewCaseListReply, ReviewCaseReply, StatementBody, StatementsReply,
  StepUpVerifyBody, StepUpVerifyReply, SubmitHeldBody, ViolationListReply, ViolationReply, WebAuthnOptionsReply, WebAuthnRegisterBody,
} from '@kefu/shared';
import type { Ctx } from '../../domain/context.ts';
import { addEntry, deleteEntry, importLexicon, listLexicon, listStatements, setStatement, testText } from '../../domain/moderation/admin.ts';
import { approveHeld, listHeld, rejectHeld, submitForReview } from '../../domain/moderation/held.ts';
import { listCases, resolveCase } from '../../domain/moderation/cases.ts';
import { appeal, decideAppeal, decidePostReview, listPostReviews, listViolations } from '../../domain/moderation/postreview.ts';
import { registrationOptions, verifyRegistration, verifyStepUp, type RelyingParty } from '../../domain/moderation/stepup.ts';
import { requireAgent } from '../auth.ts';
import { errors, type App } from '../types.ts';

/** The WebAuthn relying party is the site the browser is on: the public URL, else the request's host. */
export function relyingParty(req: FastifyRequest, publicUrl: string | null): RelyingParty {
  const origin = publicUrl ? new URL(publicUrl).origin : `${req.protocol}://${req.headers.host ?? 'localhost'}`;
  return { origin, rpID: new URL(origin).hostname };
}

export function moderationRoutes(app: App, ctx: Ctx, opts: { publicUrl: string | null }) {
  const agent = requireAgent(ctx);
  const tags = ['moderation'];
  const params = Type.Object({ id: Type.String({ maxLength: 64 }) });

  // Lexicon management (admins) and the test box (any agent).
  app.get('/lexicon', { preHandler: agent, schema: { tags, response: { 200: LexiconListReply, ...errors } } }, async (req) => ({ entries: await listLexicon(ctx, req.agent!) }));
  app.post('/lexicon', { preHandler: agent, schema: { tags, body: AddLexiconEntryBody, response: { 200: OkReply, ...errors } } }, async (req) => {
    await addEntry(ctx, req.agent!, { kind: req.body.kind ?? 'word', word: req.body.word, ...(req.body.level ? { level: req.body.level as 1 | 2 | 3 } : {}), ...(req.body.category ? { category: req.body.category } : {}) });
    return { ok: true };
  });
  app.delete('/lexicon/:id', { preHandler: agent, schema: { tags, params, response: { 200: OkReply, ...errors } } }, async (req) => {
    await deleteEntry(ctx, req.agent!, req.params.id);
    return { ok: true };
  });
  app.post('/lexicon/import', { preHandler: agent, schema: { tags, body: ImportLexiconBody, response: { 200: ImportLexiconReply, ...errors } } }, async (req) =>
    importLexicon(ctx, req.agent!, { ...req.body, level: req.body.level as 1 | 2 | 3 | undefined }),
  );
  app.post('/lexicon/test', { preHandler: agent, schema: { tags, body: LexiconTestBody, response: { 200: DraftCheckReply, ...errors } } }, async (req) => testText(ctx, req.agent!, req.body.text));
  app.get('/statements', { preHandler: agent, schema: { tags, response: { 200: StatementsReply, ...errors } } }, async (req) => listStatements(ctx, req.agent!.orgId));
  app.put('/statements/:category', { preHandler: agent, schema: { tags, params: Type.Object({ category: Type.String({ minLength: 1, maxLength: 32 }) }), body: StatementBody, response: { 200: OkReply, ...errors } } }, async (req) => {
    await setStatement(ctx, req.agent!, req.params.category, req.body.text);
    return { ok: true };
  });

  // Face step-up (WebAuthn with user verification).
  app.post('/webauthn/register/options', { preHandler: agent, schema: { tags, response: { 200: WebAuthnOptionsReply, ...errors } } }, async (req) => ({
    options: (await registrationOptions(ctx, req.agent!, relyingParty(req, opts.publicUrl))) as unknown as Record<string, unknown>,
  }));
  app.post('/webauthn/register', { preHandler: agent, schema: { tags, body: WebAuthnRegisterBody, response: { 200: Type.Object({ credentialId: Type.String() }), ...errors } } }, async (req) =>
    verifyRegistration(ctx, req.agent!, relyingParty(req, opts.publicUrl), req.body.response as unknown as RegistrationResponseJSON),
  );
  app.post('/stepup/verify', { preHandler: agent, schema: { tags, body: StepUpVerifyBody, response: { 200: StepUpVerifyReply, ...errors } } }, async (req) =>
    verifyStepUp(ctx, req.agent!, relyingParty(req, opts.publicUrl), req.body.stepUpId, req.body.response as unknown as AuthenticationResponseJSON),
  );

  // Supervisor review (主管复核).
  app.post('/conversations/:id/held', { preHandler: agent, schema: { tags, params, body: SubmitHeldBody, response: { 201: HeldReply, ...errors } } }, async (req, reply) => {
    reply.code(201);
    return { held: await submitForReview(ctx, req.agent!, req.params.id, req.body) };
  });
  app.get('/held', { preHandler: agent, schema: { tags, querystring: Type.Object({ status: Type.Optional(Type.Enum(['pending', 'approved', 'rejected'] as const)) }), response: { 200: HeldListReply, ...errors } } }, async (req) => ({
    held: await listHeld(ctx, req.agent!, req.query.status),
  }));
  app.post('/held/:id/approve', { preHandler: agent, schema: { tags, params, response: { 200: HeldReply, ...errors } } }, async (req) => ({ held: await approveHeld(ctx, req.agent!, req.params.id) }));
  app.post('/held/:id/reject', { preHandler: agent, schema: { tags, params, body: RejectHeldBody, response: { 200: HeldReply, ...errors } } }, async (req) => ({
    held: await rejectHeld(ctx, req.agent!, req.params.id, req.body.reason),
  }));

  // Account-review cases.
  app.get('/review-cases', { preHandler: agent, schema: { tags, querystring: Type.Object({ status: Type.Optional(Type.String()) }), response: { 200: ReviewCaseListReply, ...errors } } }, async (req) => ({
    cases: await listCases(ctx, req.agent!, req.query.status),
  }));
  app.post('/review-cases/:id/resolve', { preHandler: agent, schema: { tags, params, body: ResolveCaseBody, response: { 200: ReviewCaseReply, ...errors } } }, async (req) => ({
    case: await resolveCase(ctx, req.agent!, req.params.id, req.body.action, req.body.note),
  }));

  // Post-review, violations and appeals.
  app.get('/post-reviews', { preHandler: agent, schema: { tags, querystring: Type.Object({ status: Type.Optional(Type.Enum(['pending', 'confirmed', 'dismissed'] as const)) }), response: { 200: PostReviewListReply, ...errors } } }, async (req) => ({
    reviews: await listPostReviews(ctx, req.agent!, req.query.status),
  }));
  app.post('/post-reviews/:id/decision', { preHandler: agent, schema: { tags, params, body: DecideReviewBody, response: { 200: DecideReviewReply, ...errors } } }, async (req) =>
    decidePostReview(ctx, req.agent!, req.params.id, req.body.verdict, req.body.type),
  );
  app.get('/violations', { preHandler: agent, schema: { tags, querystring: Type.Object({ agentId: Type.Optional(Type.String()) }), response: { 200: ViolationListReply, ...errors } } }, async (req) => ({
    violations: await listViolations(ctx, req.agent!, req.query.agentId),
  }));
  app.post('/violations/:id/appeal', { preHandler: agent, schema: { tags, params, body: AppealBody, response: { 200: ViolationReply, ...errors } } }, async (req) => ({
    violation: await appeal(ctx, req.agent!, req.params.id, req.body.statement),
  }));
  app.post('/violations/:id/appeal/decision', { preHandler: agent, schema: { tags, params, body: AppealDecisionBody, response: { 200: ViolationReply, ...errors } } }, async (req) => ({
    violation: await decideAppeal(ctx, req.agent!, req.params.id, req.body.outcome, req.body.note),
  }));
}
