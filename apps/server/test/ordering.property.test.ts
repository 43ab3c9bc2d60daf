import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactActor, AgentActor } from '../src/domain/actors.ts';
import { openConversation, sendAgentMessage, sendContactMessage, history } from '../src/domain/conversations/service.ts';
import { upsertContact } from '../src/domain/contacts/service.ts';
import { DIALECTS, makeKefu, type Kefu } from './helpers/harness.ts';

/**
 * Random interleavings of first sends and retries from several clients (agents and the user),
 * issued concurrently: never a duplicate, never a gap, every acknowledgement matches storage.
 */
describe.each(DIALECTS)('idempotency and ordering properties on %s', (kind) => {
  let k: Kefu;
  beforeAll(async () => {
    k = await makeKefu(kind);
  });
  afterAll(async () => k?.close());

  it('never duplicates or skips under concurrent sends and retries', async () => {
    let run = 0;
    const op = fc.record({ client: fc.integer({ min: 0, max: 3 }), id: fc.integer({ min: 0, max: 7 }), wave: fc.integer({ min: 0, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        run++;
        const { contact } = await upsertContact(k.ctx, k.org.id, { platformId: `prop-${kind}-${run}`, nickname: `P${run}` });
        const agents: AgentActor[] = (['admin', 'senior', 'basic'] as const).map((t) => ({
          kind: 'agent', agentId: k.agents[t].id, orgId: k.org.id, tier: t === 'admin' ? 'admin' : t, name: t, sessionId: 's', mfa: true,
        }));
        const user: ContactActor = { kind: 'contact', contactId: contact.id, orgId: k.org.id, platformId: contact.platformId, nickname: contact.nickname };
        // Every agent client acts with admin rights so that all of them may write to the conversation.
        const { conversation } = await openConversation(k.ctx, agents[0]!, { contactId: contact.id });
        const send = (client: number, id: number) =>
          client === 3
            ? sendContactMessage(k.ctx, user, { clientMessageId: `u-${run}-${id}`, text: `user ${id}` })
            : sendAgentMessage(k.ctx, { ...agents[client]!, tier: 'admin' }, conversation.id, { clientMessageId: `a-${run}-${id}`, text: `agent ${client} ${id}` });
        const acks = new Map<string, string>();
        // Waves run one after another; ops inside a wave run concurrently (retries race first sends).
        for (let w = 0; w <= 3; w++) {
          const wave = ops.filter((o) => o.wave === w);
          const results = await Promise.all(wave.map((o) => send(o.client, o.id).then((r) => ({ o, r }))));
          for (const { o, r } of results) {
            const key = `${o.client}:${o.id}`;
            const prev = acks.get(key);
            if (prev) expect(r.message.id).toBe(prev);
            acks.set(key, r.message.id);
          }
        }
        const { messages } = await history(k.ctx, agents[0]!, conversation.id, { afterSeq: 0, limit: 200 });
        expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
        expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
        expect(new Set(messages.map((m) => `${m.senderId}:${m.clientMessageId}`)).size).toBe(messages.length);
        expect(new Set(messages.map((m) => m.id))).toEqual(new Set(acks.values()));
      }),
      { numRuns: kind === 'sqlite' ? 40 : 25 },
    );
  });
});
