import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Message } from '@kefu/shared';
import { MessageStore } from './messageStore.ts';
import { fillGap } from './gap.ts';

function msg(seq: number, over: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    direction: seq % 2 ? 'inbound' : 'outbound',
    senderType: seq % 2 ? 'contact' : 'agent',
    senderId: null,
    senderName: null,
    text: `text ${seq}`,
    clientMessageId: `cm${seq}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    deliveredAt: null,
    readAt: null,
    attachments: [],
    ...over,
  };
}

describe('MessageStore', () => {
  it('orders by seq, not by arrival, and keeps one message per seq', () => {
    const s = new MessageStore();
    expect(s.merge([msg(3), msg(1)])).toBe(2);
    expect(s.merge([msg(2), msg(3), msg(1)])).toBe(1);
    expect(s.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('ignores a different message claiming a seq it already holds', () => {
    const s = new MessageStore();
    s.merge([msg(1)]);
    s.merge([msg(1, { id: 'other', text: 'impostor' })]);
    expect(s.getSnapshot().messages).toHaveLength(1);
    expect(s.getSnapshot().messages[0]!.text).toBe('text 1');
  });

  it('takes receipt times from a fresher copy of the same message', () => {
    const s = new MessageStore();
    s.merge([msg(2)]);
    s.merge([msg(2, { readAt: '2026-01-01T00:01:00.000Z' })]);
    expect(s.getSnapshot().messages[0]!.readAt).toBe('2026-01-01T00:01:00.000Z');
  });

  it('replaces a pending send by the committed message with the same client id', () => {
    const s = new MessageStore();
    s.addPending({ clientMessageId: 'cm7', text: 'hello' });
    s.addPending({ clientMessageId: 'cm7', text: 'hello' }); // a second click is the same send
    expect(s.getSnapshot().pending).toHaveLength(1);
    s.markPending('cm7', 'failed', 'NETWORK_ERROR');
    expect(s.getSnapshot().pending[0]).toMatchObject({ status: 'failed', errorCode: 'NETWORK_ERROR' });
    s.merge([msg(7)]);
    expect(s.getSnapshot().pending).toHaveLength(0);
    expect(s.getSnapshot().messages.map((m) => m.clientMessageId)).toEqual(['cm7']);
  });

  it('never moves receipts backwards; read implies delivered', () => {
    const s = new MessageStore();
    s.applyReceipt('read', 5);
    s.applyReceipt('delivered', 3);
    s.applyReceipt('read', 2);
    expect(s.getSnapshot()).toMatchObject({ readSeq: 5, deliveredSeq: 5 });
  });

  it('notices a gap when a push skips ahead', () => {
    const s = new MessageStore();
    s.merge([msg(1), msg(2)]);
    expect(s.hasGap).toBe(false);
    s.noteLastSeq(5);
    expect(s.hasGap).toBe(true);
    s.merge([msg(3), msg(4), msg(5)]);
    expect(s.hasGap).toBe(false);
  });

  it('notifies subscribers only on change, with a new snapshot object', () => {
    const s = new MessageStore();
    let calls = 0;
    s.subscribe(() => calls++);
    const a = s.getSnapshot();
    s.merge([msg(1)]);
    const b = s.getSnapshot();
    s.merge([msg(1)]);
    expect(calls).toBe(1);
    expect(a).not.toBe(b);
    expect(s.getSnapshot()).toBe(b);
  });

  it('property: any interleaving of pages, pushes and duplicates yields 1..n exactly once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            // Each delivery is a batch of seqs; every seq appears at least once, some many times.
            fc.array(fc.array(fc.integer({ min: 1, max: n }), { maxLength: 8 }), { maxLength: 20 }),
            fc.shuffledSubarray(
              Array.from({ length: n }, (_, i) => i + 1),
              { minLength: n, maxLength: n },
            ),
          ),
        ),
        ([n, extraBatches, order]) => {
          const s = new MessageStore();
          const batches = [...extraBatches, ...order.map((q) => [q])];
          for (const b of batches) s.merge(b.map((q) => msg(q)));
          const seqs = s.getSnapshot().messages.map((m) => m.seq);
          expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        },
      ),
    );
  });
});

describe('fillGap', () => {
  it('pages until the server has nothing more, without duplicating what a push already brought', async () => {
    const server = Array.from({ length: 25 }, (_, i) => msg(i + 1));
    const s = new MessageStore();
    s.merge(server.slice(0, 3));
    s.merge([server[9]!]); // a push that raced ahead of the gap
    const calls: number[] = [];
    const added = await fillGap(s, async (after) => {
      calls.push(after);
      const page = server.filter((m) => m.seq > after).slice(0, 10);
      return { messages: page, hasMore: (page.at(-1)?.seq ?? 0) < server.length };
    });
    expect(s.getSnapshot().messages.map((m) => m.seq)).toEqual(server.map((m) => m.seq));
    expect(added).toBe(21);
    expect(calls).toEqual([3, 13, 23]);
  });
});
