import { beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { Conversation, Message } from '@kefu/shared';
import { qk } from '../lib/conversationCache.ts';

// A socket stand-in: the test plays the server by calling the registered handlers.
type Handler = (...args: unknown[]) => void;
class FakeSocket {
  handlers = new Map<string, Handler[]>();
  emitted: { event: string; args: unknown[] }[] = [];
  connected = false;
  syncReply: { messages: Message[] } = { messages: [] };
  on(event: string, fn: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    this.emitted.push({ event, args });
    if (event === 'sync') (args[1] as (r: unknown) => void)(this.syncReply);
    return this;
  }
  disconnect() {
    this.connected = false;
  }
  fire(event: string, ...args: unknown[]) {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
}
const sockets: FakeSocket[] = [];
vi.mock('./socket.ts', () => ({
  connectSocket: () => {
    const s = new FakeSocket();
    sockets.push(s);
    return s;
  },
}));
const history = vi.fn();
vi.mock('../api/client.ts', () => ({
  api: { conversations: { messages: (...a: unknown[]) => history(...a) } },
}));

const { AgentRealtime } = await import('./agentRealtime.ts');

function msg(conversationId: string, seq: number, direction: Message['direction'] = 'inbound'): Message {
  return {
    id: `${conversationId}-${seq}`,
    conversationId,
    seq,
    direction,
    senderType: direction === 'inbound' ? 'contact' : 'agent',
    senderId: null,
    senderName: null,
    text: `m${seq}`,
    clientMessageId: `${conversationId}-c${seq}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    deliveredAt: null,
    readAt: null,
    attachments: [],
  };
}
function conv(id: string, lastSeq: number, at: string): Conversation {
  return {
    id,
    contactId: `ct-${id}`,
    assigneeId: null,
    status: 'open',
    businessType: 'ecommerce_after_sales',
    channel: 'h5',
    lastSeq,
    lastMessageAt: at,
    lastMessagePreview: 'old',
    unreadCount: 0,
    agentReadSeq: lastSeq,
    contactDeliveredSeq: 0,
    contactReadSeq: 0,
    createdAt: at,
    updatedAt: at,
  };
}

describe('AgentRealtime', () => {
  let qc: QueryClient;
  let socket: FakeSocket;
  let rt: InstanceType<typeof AgentRealtime>;
  beforeEach(() => {
    sockets.length = 0;
    history.mockReset();
    qc = new QueryClient();
    qc.setQueryData(qk.conversations({}), { conversations: [conv('a', 5, '2026-01-01T00:10:00.000Z'), conv('b', 3, '2026-01-01T00:05:00.000Z')] });
    rt = new AgentRealtime(qc, () => undefined);
    rt.start();
    socket = sockets[0]!;
    socket.fire('connect');
  });

  const list = () => qc.getQueryData<{ conversations: Conversation[] }>(qk.conversations({}))!.conversations;

  it('a message for a conversation not on screen counts as unread and moves it to the top', () => {
    const m = { ...msg('b', 4), createdAt: '2026-01-01T00:20:00.000Z' };
    socket.fire('message.created', { conversationId: 'b', message: m });
    expect(list().map((c) => c.id)).toEqual(['b', 'a']);
    expect(list()[0]).toMatchObject({ unreadCount: 1, lastSeq: 4, lastMessagePreview: 'm4' });
    // The same push again (at-least-once) changes nothing.
    socket.fire('message.created', { conversationId: 'b', message: m });
    expect(list()[0]!.unreadCount).toBe(1);
  });

  it('the conversation on screen does not count as unread; another session reading clears the count', () => {
    rt.viewing = 'a';
    socket.fire('message.created', { conversationId: 'a', message: msg('a', 6) });
    expect(list().find((c) => c.id === 'a')!.unreadCount).toBe(0);
    socket.fire('message.created', { conversationId: 'b', message: msg('b', 4) });
    socket.fire('message.receipt', { conversationId: 'b', side: 'agent', kind: 'read', uptoSeq: 4, at: '' });
    expect(list().find((c) => c.id === 'b')!.unreadCount).toBe(0);
  });

  it('the contact typing shows for a while, and stops when their message arrives', () => {
    socket.fire('typing', { conversationId: 'a', side: 'contact', agentId: null, typing: true });
    expect(rt.isTyping('a')).toBe(true);
    socket.fire('typing', { conversationId: 'b', side: 'agent', agentId: 'x', typing: true });
    expect(rt.isTyping('b')).toBe(false);
    socket.fire('message.created', { conversationId: 'a', message: msg('a', 6) });
    expect(rt.isTyping('a')).toBe(false);
  });

  it('contact receipts move the open conversation’s marks forward only', () => {
    const store = rt.storeFor('a');
    socket.fire('message.receipt', { conversationId: 'a', side: 'contact', kind: 'read', uptoSeq: 4, at: '' });
    socket.fire('message.receipt', { conversationId: 'a', side: 'contact', kind: 'delivered', uptoSeq: 2, at: '' });
    expect(store.getSnapshot()).toMatchObject({ readSeq: 4, deliveredSeq: 4 });
  });

  it('after a reconnect it syncs from the last gap-free seq and fills the rest over HTTP, each message once', async () => {
    const store = rt.storeFor('a');
    store.merge([msg('a', 1), msg('a', 2), msg('a', 3), msg('a', 5)]); // 4 is missing
    socket.fire('disconnect');
    expect(rt.connection).toBe('offline');
    socket.syncReply = { messages: [msg('a', 4), msg('a', 5), msg('a', 6)] };
    history.mockResolvedValue({ messages: [msg('a', 6), msg('a', 7)], hasMore: false });
    socket.fire('connect');
    await vi.waitFor(() => expect(store.lastSeq).toBe(7));
    const sync = socket.emitted.find((e) => e.event === 'sync')!;
    expect(sync.args[0]).toEqual({ since: { a: 3 } });
    expect(history).toHaveBeenCalledWith('a', { afterSeq: 6, limit: 200 });
    expect(store.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
