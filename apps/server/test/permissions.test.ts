/**
 * The permission matrix: every API route against every kind of caller. The table below has one
 * row per route; a route added without a row fails this test.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../src/domain/orgs/service.ts';
import { createAgent } from '../src/domain/agents/service.ts';
import { screenMessage } from '../src/domain/moderation/postreview.ts';
import { DIALECTS, makeKefu, type Kefu } from './helpers/harness.ts';

type Caller = 'anon' | 'half' | 'other' | 'basic' | 'senior' | 'admin' | 'customer';
const CALLERS: Caller[] = ['anon', 'half', 'other', 'customer', 'basic', 'senior', 'admin'];

interface Fixture {
  convS: string; // assigned to the senior agent
  contactS: string;
  platformS: string;
  victim: string; // an agent admins act on
  exportId: string;
  attachmentId: string;
  customerAttachmentId: string;
  png: Buffer;
  orgId: string;
  /** A new object of this kind for one call (so each caller acts on one of its own). */
  fresh: (what: 'canned' | 'rule' | 'contact' | 'lexicon' | 'held' | 'case' | 'review' | 'violation' | 'appeal') => Promise<string>;
}

interface Call { path: string; body?: unknown; multipart?: Buffer }
/** Expected status per caller; `half` and `anon` default to the unauthenticated answers below. */
type Expect = Partial<Record<Caller, number>>;
interface Row { build: (f: Fixture, c: Caller) => Call | Promise<Call>; expect: Expect; customerRoute?: boolean; publicRoute?: boolean; halfOk?: number }

const AGENTS_ALL_OK = (s: number): Expect => ({ other: s, basic: s, senior: s, admin: s });
const ADMIN_ONLY = (s: number, other = s): Expect => ({ other, basic: 403, senior: 403, admin: s });

const MATRIX: Record<string, Row> = {
  'POST /api/v1/auth/login': { build: () => ({ path: '/api/v1/auth/login', body: { email: 'nobody@x.test', password: 'wrong' } }), expect: { anon: 401, half: 401, other: 401, customer: 401, basic: 401, senior: 401, admin: 401 }, publicRoute: true },
  'POST /api/v1/auth/totp/enroll': { build: () => ({ path: '/api/v1/auth/totp/enroll' }), expect: { ...AGENTS_ALL_OK(409) }, halfOk: 200 },
  'POST /api/v1/auth/totp/verify': { build: () => ({ path: '/api/v1/auth/totp/verify', body: { code: '000000' } }), expect: { ...AGENTS_ALL_OK(401) }, halfOk: 401 },
  'GET /api/v1/auth/me': { build: () => ({ path: '/api/v1/auth/me' }), expect: AGENTS_ALL_OK(200), halfOk: 200 },
  'POST /api/v1/auth/logout': { build: () => ({ path: '/api/v1/auth/logout' }), expect: AGENTS_ALL_OK(200), halfOk: 200 },
  'GET /api/v1/agents': { build: () => ({ path: '/api/v1/agents' }), expect: AGENTS_ALL_OK(200) },
  'POST /api/v1/agents': {
    build: (_f, c) => ({ path: '/api/v1/agents', body: { email: `m-${c}-${Math.random().toString(36).slice(2)}@x.test`, name: '新人', tier: 'basic', password: 'long-enough-pass' } }),
    expect: ADMIN_ONLY(201),
  },
  'PATCH /api/v1/agents/:id': { build: (f) => ({ path: `/api/v1/agents/${f.victim}`, body: { name: '被管理的人' } }), expect: ADMIN_ONLY(200, 404) },
  'POST /api/v1/agents/:id/reset-mfa': { build: (f) => ({ path: `/api/v1/agents/${f.victim}/reset-mfa` }), expect: ADMIN_ONLY(200, 404) },
  'POST /api/v1/contacts': { build: (_f, c) => ({ path: '/api/v1/contacts', body: { platformId: `mx-${c}`, nickname: 'x' } }), expect: AGENTS_ALL_OK(201) },
  'POST /api/v1/orders': { build: (f, c) => ({ path: '/api/v1/orders', body: { orderNo: `MX-${c}`, platformId: f.platformS, items: [], amount: 1 } }), expect: { other: 404, basic: 201, senior: 201, admin: 201 } },
  'GET /api/v1/contacts/lookup': { build: (f) => ({ path: `/api/v1/contacts/lookup?platformId=${f.platformS}` }), expect: { other: 404, basic: 200, senior: 200, admin: 200 } },
  'GET /api/v1/contacts/:id': { build: (f) => ({ path: `/api/v1/contacts/${f.contactS}` }), expect: { other: 404, basic: 200, senior: 200, admin: 200 } },
  'GET /api/v1/contacts/:id/orders': { build: (f) => ({ path: `/api/v1/contacts/${f.contactS}/orders` }), expect: { other: 404, basic: 200, senior: 200, admin: 200 } },
  'GET /api/v1/conversations': { build: () => ({ path: '/api/v1/conversations' }), expect: AGENTS_ALL_OK(200) },
  'POST /api/v1/conversations': { build: async (f, c) => ({ path: '/api/v1/conversations', body: { contactId: await f.fresh('contact') } }), expect: { other: 404, basic: 201, senior: 201, admin: 201 } },
  'GET /api/v1/conversations/:id': { build: (f) => ({ path: `/api/v1/conversations/${f.convS}` }), expect: { other: 404, basic: 404, senior: 200, admin: 200 } },
  'PATCH /api/v1/conversations/:id': { build: (f) => ({ path: `/api/v1/conversations/${f.convS}`, body: { status: 'open' } }), expect: { other: 404, basic: 404, senior: 200, admin: 200 } },
  'GET /api/v1/conversations/:id/messages': { build: (f) => ({ path: `/api/v1/conversations/${f.convS}/messages` }), expect: { other: 404, basic: 404, senior: 200, admin: 428 } },
  'POST /api/v1/conversations/:id/messages': { build: (f, c) => ({ path: `/api/v1/conversations/${f.convS}/messages`, body: { clientMessageId: `mx-${c}`, text: '您好' } }), expect: { other: 404, basic: 404, senior: 201, admin: 201 } },
  'POST /api/v1/conversations/:id/receipts': { build: (f) => ({ path: `/api/v1/conversations/${f.convS}/receipts`, body: { kind: 'read', uptoSeq: 1 } }), expect: { other: 404, basic: 404, senior: 200, admin: 200 } },
  'POST /api/v1/conversations/:id/attachments': { build: (f) => ({ path: `/api/v1/conversations/${f.convS}/attachments`, multipart: f.png }), expect: { other: 404, basic: 404, senior: 201, admin: 201 } },
  'GET /api/v1/customer/session': { build: () => ({ path: '/api/v1/customer/session' }), expect: { customer: 200 }, customerRoute: true },
  'GET /api/v1/customer/messages': { build: () => ({ path: '/api/v1/customer/messages' }), expect: { customer: 200 }, customerRoute: true },
  'POST /api/v1/customer/messages': { build: (_f, c) => ({ path: '/api/v1/customer/messages', body: { clientMessageId: `cm-${c}`, text: '你好' } }), expect: { customer: 201 }, customerRoute: true },
  'POST /api/v1/customer/receipts': { build: () => ({ path: '/api/v1/customer/receipts', body: { kind: 'read', uptoSeq: 1 } }), expect: { customer: 200 }, customerRoute: true },
  'POST /api/v1/customer/attachments': { build: (f) => ({ path: '/api/v1/customer/attachments', multipart: f.png }), expect: { customer: 201 }, customerRoute: true },
  'GET /api/v1/customer/attachments/:id/link': { build: (f) => ({ path: `/api/v1/customer/attachments/${f.customerAttachmentId}/link` }), expect: { customer: 200 }, customerRoute: true },
  // Readable by members of the conversation: its agents (cookie) and its user (bearer).
  'GET /api/v1/attachments/:id': { build: (f) => ({ path: `/api/v1/attachments/${f.attachmentId}` }), expect: { customer: 200, other: 404, basic: 404, senior: 200, admin: 200 }, publicRoute: true },
  'GET /api/v1/attachments/:id/thumbnail': { build: (f) => ({ path: `/api/v1/attachments/${f.attachmentId}/thumbnail` }), expect: { customer: 200, other: 404, basic: 404, senior: 200, admin: 200 }, publicRoute: true },
  'POST /api/v1/platform/webhooks/:orgId': { build: (f) => ({ path: `/api/v1/platform/webhooks/${f.orgId}`, body: { id: 'e', type: 'contact.upserted', data: { platformId: 'p', nickname: 'n' } } }), expect: { anon: 401, half: 401, other: 401, customer: 401, basic: 401, senior: 401, admin: 401 }, publicRoute: true },
  'GET /api/v1/me/quota': { build: () => ({ path: '/api/v1/me/quota' }), expect: AGENTS_ALL_OK(200) },
  'GET /api/v1/me/policy': { build: () => ({ path: '/api/v1/me/policy' }), expect: AGENTS_ALL_OK(200) },
  'GET /api/v1/org/policy': { build: () => ({ path: '/api/v1/org/policy' }), expect: ADMIN_ONLY(200) },
  'PATCH /api/v1/org/policy': { build: () => ({ path: '/api/v1/org/policy', body: { linkAllowHosts: ['example.cn'] } }), expect: ADMIN_ONLY(200) },
  'GET /api/v1/org/policy/changes': { build: () => ({ path: '/api/v1/org/policy/changes' }), expect: ADMIN_ONLY(200) },
  'GET /api/v1/canned-replies': { build: () => ({ path: '/api/v1/canned-replies' }), expect: AGENTS_ALL_OK(200) },
  'POST /api/v1/canned-replies': { build: () => ({ path: '/api/v1/canned-replies', body: { title: 't', body: '您好' } }), expect: { other: 201, basic: 403, senior: 201, admin: 201 } },
  'PATCH /api/v1/canned-replies/:id': { build: async (f, c) => ({ path: `/api/v1/canned-replies/${await f.fresh('canned')}`, body: { title: '改' } }), expect: { other: 404, basic: 403, senior: 200, admin: 200 } },
  'DELETE /api/v1/canned-replies/:id': { build: async (f, c) => ({ path: `/api/v1/canned-replies/${await f.fresh('canned')}` }), expect: { other: 404, basic: 403, senior: 200, admin: 200 } },
  'POST /api/v1/canned-replies/:id/render': { build: async (f, c) => ({ path: `/api/v1/canned-replies/${await f.fresh('canned')}/render`, body: { conversationId: f.convS } }), expect: { other: 404, basic: 404, senior: 200, admin: 200 } },
  'GET /api/v1/auto-replies': { build: () => ({ path: '/api/v1/auto-replies' }), expect: AGENTS_ALL_OK(200) },
  'POST /api/v1/auto-replies': { build: () => ({ path: '/api/v1/auto-replies', body: { trigger: 'keyword', keywords: ['永远不会出现的词'], body: '自动回复' } }), expect: { other: 201, basic: 403, senior: 201, admin: 201 } },
  'PATCH /api/v1/auto-replies/:id': { build: async (f, c) => ({ path: `/api/v1/auto-replies/${await f.fresh('rule')}`, body: { enabled: false } }), expect: { other: 404, basic: 403, senior: 200, admin: 200 } },
  'DELETE /api/v1/auto-replies/:id': { build: async (f, c) => ({ path: `/api/v1/auto-replies/${await f.fresh('rule')}` }), expect: { other: 404, basic: 403, senior: 200, admin: 200 } },
  'POST /api/v1/exports': { build: () => ({ path: '/api/v1/exports', body: { from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', format: 'jsonl' } }), expect: ADMIN_ONLY(202) },
  'GET /api/v1/exports': { build: () => ({ path: '/api/v1/exports' }), expect: ADMIN_ONLY(200) },
  'GET /api/v1/exports/:id': { build: (f) => ({ path: `/api/v1/exports/${f.exportId}` }), expect: ADMIN_ONLY(200, 404) },
  'GET /api/v1/exports/:id/download': { build: (f) => ({ path: `/api/v1/exports/${f.exportId}/download` }), expect: ADMIN_ONLY(200, 404) },
  'GET /api/v1/audit': { build: () => ({ path: '/api/v1/audit' }), expect: ADMIN_ONLY(200) },
  'GET /api/v1/audit/verify': { build: () => ({ path: '/api/v1/audit/verify' }), expect: ADMIN_ONLY(200) },
  'GET /api/v1/lexicon': { build: () => ({ path: '/api/v1/lexicon' }), expect: ADMIN_ONLY(200) },
  'POST /api/v1/lexicon': { build: () => ({ path: '/api/v1/lexicon', body: { kind: 'allow', word: '矩阵测试词' } }), expect: ADMIN_ONLY(200) },
  'DELETE /api/v1/lexicon/:id': { build: async (f) => ({ path: `/api/v1/lexicon/${await f.fresh('lexicon')}` }), expect: ADMIN_ONLY(200, 404) },
  'POST /api/v1/lexicon/import': { build: () => ({ path: '/api/v1/lexicon/import', body: { content: '矩阵导入词\t3\tcustom\n', format: 'text', kind: 'allow' } }), expect: ADMIN_ONLY(200) },
  'POST /api/v1/lexicon/test': { build: () => ({ path: '/api/v1/lexicon/test', body: { text: '你好' } }), expect: AGENTS_ALL_OK(200) },
  'GET /api/v1/statements': { build: () => ({ path: '/api/v1/statements' }), expect: AGENTS_ALL_OK(200) },
  'PUT /api/v1/statements/:category': { build: () => ({ path: '/api/v1/statements/complaint', body: { text: '【声明】请走官方渠道。' } }), expect: ADMIN_ONLY(200) },
  'POST /api/v1/webauthn/register/options': { build: () => ({ path: '/api/v1/webauthn/register/options' }), expect: AGENTS_ALL_OK(200) },
  // A made-up authenticator answer fails verification for everyone.
  'POST /api/v1/webauthn/register': { build: () => ({ path: '/api/v1/webauthn/register', body: { response: { id: 'x' } } }), expect: AGENTS_ALL_OK(401) },
  'POST /api/v1/stepup/verify': { build: () => ({ path: '/api/v1/stepup/verify', body: { stepUpId: 'x', response: { id: 'x' } } }), expect: AGENTS_ALL_OK(401) },
  'POST /api/v1/conversations/:id/held': { build: (f, c) => ({ path: `/api/v1/conversations/${f.convS}/held`, body: { clientMessageId: `held-${c}`, text: '加我微信' } }), expect: { other: 404, basic: 404, senior: 201, admin: 201 } },
  'GET /api/v1/held': { build: () => ({ path: '/api/v1/held' }), expect: AGENTS_ALL_OK(200) },
  'POST /api/v1/held/:id/approve': { build: async (f) => ({ path: `/api/v1/held/${await f.fresh('held')}/approve` }), expect: ADMIN_ONLY(200, 404) },
  'POST /api/v1/held/:id/reject': { build: async (f) => ({ path: `/api/v1/held/${await f.fresh('held')}/reject`, body: { reason: '不行' } }), expect: ADMIN_ONLY(200, 404) },
  'GET /api/v1/review-cases': { build: () => ({ path: '/api/v1/review-cases' }), expect: ADMIN_ONLY(200) },
  'POST /api/v1/review-cases/:id/resolve': { build: async (f) => ({ path: `/api/v1/review-cases/${await f.fresh('case')}/resolve`, body: { action: 'warn' } }), expect: ADMIN_ONLY(200, 404) },
  'GET /api/v1/post-reviews': { build: () => ({ path: '/api/v1/post-reviews' }), expect: ADMIN_ONLY(200) },
  'POST /api/v1/post-reviews/:id/decision': { build: async (f) => ({ path: `/api/v1/post-reviews/${await f.fresh('review')}/decision`, body: { verdict: 'dismiss' } }), expect: ADMIN_ONLY(200, 404) },
  'GET /api/v1/violations': { build: () => ({ path: '/api/v1/violations' }), expect: AGENTS_ALL_OK(200) },
  // Only the agent the violation is recorded against may appeal it (here: the senior agent).
  'POST /api/v1/violations/:id/appeal': { build: async (f) => ({ path: `/api/v1/violations/${await f.fresh('violation')}/appeal`, body: { statement: '我有异议' } }), expect: { other: 404, basic: 404, senior: 200, admin: 404 } },
  'POST /api/v1/violations/:id/appeal/decision': { build: async (f) => ({ path: `/api/v1/violations/${await f.fresh('appeal')}/appeal/decision`, body: { outcome: 'uphold' } }), expect: ADMIN_ONLY(200, 404) },
};

function multipartBody(file: Buffer, name = 'pic.png') {
  const boundary = '----kefuMatrix';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return { body: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
}

describe.each(DIALECTS)('permission matrix on %s', (kind) => {
  let k: Kefu;
  const cookies: Partial<Record<Caller, string>> = {};
  let token = '';
  let f: Fixture;

  beforeAll(async () => {
    k = await makeKefu(kind);
    for (const t of ['basic', 'senior', 'admin'] as const) cookies[t] = await k.login(k.agents[t]);
    const other = await createOrganisation(k.ctx, '别家店铺');
    const otherAdmin = { id: '', email: `other-${kind}@x.test`, password: 'other-admin-pass', tier: 'admin' as const, name: '别家管理员' };
    otherAdmin.id = (await createAgent(k.ctx, { orgId: other.id, ...otherAdmin })).id;
    cookies.other = await k.login(otherAdmin);
    const victim = await createAgent(k.ctx, { orgId: k.org.id, email: `victim-${kind}@x.test`, name: '受管客服', tier: 'basic', password: 'victim-password' });
    // A separate agent stands at the second factor (the victim's sessions end when admins act on it).
    await createAgent(k.ctx, { orgId: k.org.id, email: `half-${kind}@x.test`, name: '未验证', tier: 'basic', password: 'half-way-password' });
    const half = await k.req('POST', '/api/v1/auth/login', { body: { email: `half-${kind}@x.test`, password: 'half-way-password' } });
    cookies.half = String(half.headers['set-cookie']).split(';')[0]!;
    token = await k.customerToken(`mx-customer-${kind}`, '矩阵用户');

    const senior = cookies.senior!;
    const contact = (await k.req('POST', '/api/v1/contacts', { cookie: senior, body: { platformId: `mx-s-${kind}`, nickname: '矩阵' } })).json.contact;
    const convS = (await k.req('POST', '/api/v1/conversations', { cookie: senior, body: { contactId: contact.id } })).json.conversation.id;
    await k.req('POST', `/api/v1/conversations/${convS}/messages`, { cookie: senior, body: { clientMessageId: 'seed', text: '第一条' } });
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#36c' } }).png().toBuffer();
    const up = multipartBody(png);
    const att = await k.app.inject({ method: 'POST', url: `/api/v1/conversations/${convS}/attachments`, headers: { cookie: senior, 'content-type': up.type }, payload: up.body });
    const attachmentId = att.json().attachment.id as string;
    await k.req('POST', `/api/v1/conversations/${convS}/messages`, { cookie: senior, body: { clientMessageId: 'with-file', text: '', attachmentIds: [attachmentId] } });
    // The customer of the matrix is the user of convS, so they may read its attachment.
    token = await k.customerToken(`mx-s-${kind}`, '矩阵');
    const cu = await k.app.inject({ method: 'POST', url: '/api/v1/customer/attachments', headers: { authorization: `Bearer ${token}`, 'content-type': up.type }, payload: up.body });
    const exp = await k.req('POST', '/api/v1/exports', { cookie: cookies.admin, body: { from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', format: 'csv' } });
    for (let i = 0; i < 100; i++) {
      if ((await k.req('GET', `/api/v1/exports/${exp.json.export.id}`, { cookie: cookies.admin })).json.export.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 30));
    }
    let n = 0;
    f = {
      convS, contactS: contact.id, platformS: `mx-s-${kind}`, victim: victim.id, exportId: exp.json.export.id, attachmentId, customerAttachmentId: cu.json().attachment.id, png, orgId: k.org.id,
      fresh: async (what) => {
        n++;
        const admin = cookies.admin!;
        const senior = cookies.senior!;
        switch (what) {
          case 'canned':
            return (await k.req('POST', '/api/v1/canned-replies', { cookie: admin, body: { title: `t${n}`, body: '{昵称}您好' } })).json.reply.id;
          case 'rule':
            return (await k.req('POST', '/api/v1/auto-replies', { cookie: admin, body: { trigger: 'keyword', keywords: [`无此词${n}`], body: '自动' } })).json.rule.id;
          case 'contact':
            return (await k.req('POST', '/api/v1/contacts', { cookie: admin, body: { platformId: `fresh-${n}`, nickname: `新用户${n}` } })).json.contact.id;
          case 'lexicon': {
            await k.req('POST', '/api/v1/lexicon', { cookie: admin, body: { kind: 'allow', word: `矩阵词${n}` } });
            return (await k.req('GET', '/api/v1/lexicon', { cookie: admin })).json.entries.find((e: { word: string }) => e.word === `矩阵词${n}`).id;
          }
          case 'held':
            return (await k.req('POST', `/api/v1/conversations/${convS}/held`, { cookie: senior, body: { clientMessageId: `fh-${n}`, text: '加我微信' } })).json.held.id;
          case 'case':
            return (await k.req('POST', `/api/v1/conversations/${convS}/messages`, { cookie: senior, body: { clientMessageId: `fc-${n}`, text: '支付宝转账给我' } })).json.error.caseId;
          case 'review':
          case 'violation':
          case 'appeal': {
            const m = (await k.req('POST', `/api/v1/conversations/${convS}/messages`, { cookie: senior, body: { clientMessageId: `fr-${n}`, text: `百分之百没问题${n}` } })).json.message;
            await screenMessage(k.ctx, m.id);
            const review = (await k.ctx.database.db.selectFrom('post_reviews').select('id').where('message_id', '=', m.id).executeTakeFirstOrThrow()).id;
            if (what === 'review') return review;
            const v = (await k.req('POST', `/api/v1/post-reviews/${review}/decision`, { cookie: admin, body: { verdict: 'confirm' } })).json.violation.id;
            if (what === 'appeal') await k.req('POST', `/api/v1/violations/${v}/appeal`, { cookie: senior, body: { statement: '申诉' } });
            return v;
          }
        }
      },
    };
  });
  afterAll(async () => k?.close());

  it('has a row for every API route', () => {
    const routes = k.routes.filter((r) => r.url.startsWith('/api/v1/')).map((r) => `${r.method} ${r.url}`);
    const missing = routes.filter((r) => !(r in MATRIX));
    expect(missing).toEqual([]);
    const stale = Object.keys(MATRIX).filter((r) => !routes.includes(r));
    expect(stale).toEqual([]);
  });

  it('answers every caller as the matrix says', async () => {
    const failures: string[] = [];
    // Logout ends the session: it runs last, for each caller.
    const keys = Object.keys(MATRIX).sort((a, b) => Number(a.endsWith('/logout')) - Number(b.endsWith('/logout')));
    for (const key of keys) {
      const row = MATRIX[key]!;
      const [method] = key.split(' ');
      for (const caller of CALLERS) {
        let want = row.expect[caller];
        if (want === undefined) {
          if (row.customerRoute) want = 401; // INVALID_TOKEN for anyone without the platform token
          else if (caller === 'half') want = row.halfOk ?? 401; // MFA_REQUIRED
          else want = 401; // anon and customer on agent routes: UNAUTHENTICATED
        }
        const call = await row.build(f, caller);
        const headers: Record<string, string> = {};
        if (caller === 'customer') headers.authorization = `Bearer ${token}`;
        else if (caller !== 'anon') headers.cookie = cookies[caller]!;
        let payload: Buffer | string | undefined;
        if (call.multipart) {
          const m = multipartBody(call.multipart);
          headers['content-type'] = m.type;
          payload = m.body;
        } else if (call.body !== undefined) {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(call.body);
        }
        const res = await k.app.inject({ method: method as 'GET', url: call.path, headers, ...(payload !== undefined ? { payload } : {}) });
        if (res.statusCode !== want) failures.push(`${key} as ${caller}: ${res.statusCode} (wanted ${want}) ${res.body.slice(0, 120)}`);
        if (res.statusCode >= 400) {
          const body = res.json() as { error?: { code?: string } };
          if (!body.error?.code) failures.push(`${key} as ${caller}: error without a code`);
          if (want === 401 && caller === 'half' && !row.customerRoute && !row.publicRoute && row.halfOk === undefined && body.error?.code !== 'MFA_REQUIRED') {
            failures.push(`${key} as half: ${body.error?.code} (wanted MFA_REQUIRED)`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
