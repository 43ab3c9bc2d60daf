// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { Message } from '@kefu/shared';
import { MessageStore } from '../../lib/messageStore.ts';
import { buildRows } from './MessageList.tsx';

function msg(seq: number, createdAt: string): Message {
  return {
    id: `m${seq}`,
    conversationId: 'c',
    seq,
    direction: 'inbound',
    senderType: 'contact',
    senderId: null,
    senderName: null,
    text: `t${seq}`,
    clientMessageId: `c${seq}`,
    createdAt,
    deliveredAt: null,
    readAt: null,
    attachments: [],
  };
}

describe('message list rows', () => {
  it('come in seq order with one day separator per local day, pending sends last', () => {
    const s = new MessageStore();
    // Pushed out of order and twice.
    s.merge([msg(3, '2026-03-02T09:00:00+08:00'), msg(1, '2026-03-01T09:00:00+08:00')]);
    s.merge([msg(2, '2026-03-01T10:00:00+08:00'), msg(3, '2026-03-02T09:00:00+08:00')]);
    s.addPending({ clientMessageId: 'p1', text: 'sending', createdAt: '2026-03-02T09:05:00+08:00' });
    const rows = buildRows(s.getSnapshot());
    expect(rows.map((r) => r.key)).toEqual(['mm1', 'mm2', 'mm3', 'pp1']);
    expect(rows.map((r) => r.day !== null)).toEqual([true, false, true, false]);
  });

  it('drops a pending row once its message is committed', () => {
    const s = new MessageStore();
    s.addPending({ clientMessageId: 'c9', text: 't9' });
    expect(buildRows(s.getSnapshot()).map((r) => r.kind)).toEqual(['pending']);
    s.merge([msg(9, new Date().toISOString())]);
    expect(buildRows(s.getSnapshot()).map((r) => r.kind)).toEqual(['msg']);
  });
});
