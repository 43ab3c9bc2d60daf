import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/domain/audit/service.ts';
import { DIALECTS, makeKefu, type Kefu } from './helpers/harness.ts';

describe.each(DIALECTS)('admin oversight on %s', (kind) => {
  let k: Kefu;
  let admin: string;
  let senior: string;
  let conv: string;
  beforeAll(async () => {
    k = await makeKefu(kind);
    admin = await k.login(k.agents.admin);
    senior = await k.login(k.agents.senior);
    const contact = (await k.req('POST', '/api/v1/contacts', { cookie: senior, body: { platformId: `o-${kind}`, nickname: '被查看的用户' } })).json.contact;
    conv = (await k.req('POST', '/api/v1/conversations', { cookie: senior, body: { contactId: contact.id, businessType: 'account_ban' } })).json.conversation.id;
    for (let i = 0; i < 25; i++) await k.req('POST', `/api/v1/conversations/${conv}/messages`, { cookie: senior, body: { clientMessageId: `o-${i}`, text: `第${i}条，含"引号",逗号\n换行` } });
  });
  afterAll(async () => k?.close());

  it('asks an admin for a reason to read a colleague\'s conversation and audits the read', async () => {
    const path = `/api/v1/conversations/${conv}/messages`;
    const noReason = await k.req('GET', path, { cookie: admin });
    expect(noReason.status).toBe(428);
    expect(noReason.json.error.code).toBe('READ_REASON_REQUIRED');
    const ok = await k.req('GET', `${path}?reason=${encodeURIComponent('用户投诉复核')}`, { cookie: admin });
    expect(ok.status).toBe(200);
    expect(ok.json.messages).toHaveLength(25);
    // The assignee reads their own without a reason.
    expect((await k.req('GET', path, { cookie: senior })).status).toBe(200);
    const audit = await k.req('GET', '/api/v1/audit?action=conversation.read_other', { cookie: admin });
    expect(audit.json.entries[0]).toMatchObject({ actor: `a:${k.agents.admin.id}`, subject: conv, data: { reason: '用户投诉复核', assigneeId: k.agents.senior.id } });
    expect((await k.req('GET', '/api/v1/audit', { cookie: senior })).json.error.code).toBe('TIER_FORBIDDEN');
  });

  it('exports records as CSV and JSONL, filtered, resumable, admins only', async () => {
    const from = new Date(k.clock.now() - 3_600_000).toISOString();
    const to = new Date(k.clock.now() + 3_600_000).toISOString();
    expect((await k.req('POST', '/api/v1/exports', { cookie: senior, body: { from, to, format: 'csv' } })).json.error.code).toBe('TIER_FORBIDDEN');
    const started = await k.req('POST', '/api/v1/exports', { cookie: admin, body: { from, to, format: 'csv', agentId: k.agents.senior.id, businessType: 'account_ban' } });
    expect(started.status).toBe(202);
    const id = started.json.export.id;
    let info = started.json.export;
    for (let i = 0; i < 100 && info.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      info = (await k.req('GET', `/api/v1/exports/${id}`, { cookie: admin })).json.export;
    }
    expect(info).toMatchObject({ status: 'done', rows: 25, total: 25 });
    const full = await k.req('GET', `/api/v1/exports/${id}/download`, { cookie: admin });
    expect(full.status).toBe(200);
    expect(full.headers['content-disposition']).toMatch(/attachment/);
    const lines = full.body.replace(/^\ufeff/, '').split('\n');
    expect(lines[0]).toBe('conversation_id,seq,created_at,direction,sender_type,sender,contact_platform_id,contact_nickname,business_type,assignee,text');
    expect(full.body).toContain('"第0条，含""引号"",逗号\n换行"');
    // Resume from byte 100.
    const part = await k.req('GET', `/api/v1/exports/${id}/download`, { cookie: admin, headers: { range: 'bytes=100-' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-${Buffer.byteLength(full.body) - 1}/${Buffer.byteLength(full.body)}`);
    expect(Buffer.from(full.body).subarray(100).toString()).toBe(part.body);

    const j = await k.req('POST', '/api/v1/exports', { cookie: admin, body: { from, to, format: 'jsonl', businessType: 'content_review' } });
    let ji = j.json.export;
    for (let i = 0; i < 100 && ji.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      ji = (await k.req('GET', `/api/v1/exports/${ji.id}`, { cookie: admin })).json.export;
    }
    expect(ji).toMatchObject({ status: 'done', rows: 0 });
    const bad = await k.req('POST', '/api/v1/exports', { cookie: admin, body: { from: to, to: from, format: 'csv' } });
    expect(bad.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('keeps a hash chain that names the first tampered entry', async () => {
    const before = await k.req('GET', '/api/v1/audit/verify', { cookie: admin });
    expect(before.json).toMatchObject({ ok: true, firstBad: null });
    expect(before.json.entries).toBeGreaterThanOrEqual(3);
    await k.ctx.database.db.updateTable('audit_events').set({ data_json: '{"reason":"edited"}' }).where('org_id', '=', k.org.id).where('seq', '=', 2).execute();
    const after = await verifyAuditChain(k.ctx, k.org.id);
    expect(after).toMatchObject({ ok: false, firstBad: 2, reason: 'content does not match its hash' });
  });
});
