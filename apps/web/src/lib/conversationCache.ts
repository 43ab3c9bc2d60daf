import type { QueryClient } from '@tanstack/react-query';
import type { Conversation, Message } from '@kefu/shared';
import type { ConversationFilter } from '../api/client.ts';

export const qk = {
  me: ['me'] as const,
  agents: ['agents'] as const,
  conversations: (f: ConversationFilter = {}) => ['conversations', f] as const,
  conversationsAll: ['conversations'] as const,
  conversation: (id: string) => ['conversation', id] as const,
  orders: (contactId: string) => ['orders', contactId] as const,
};

type ListData = { conversations: Conversation[] };

function byRecent(a: Conversation, b: Conversation): number {
  return (b.lastMessageAt ?? b.updatedAt).localeCompare(a.lastMessageAt ?? a.updatedAt);
}

function matches(c: Conversation, f: ConversationFilter): boolean {
  return (!f.status || c.status === f.status) && (!f.businessType || c.businessType === f.businessType);
}

/**
 * Apply a fresher copy of one conversation to every cached list. Returns false when a list
 * lacked it (a new conversation), so the caller can refetch.
 */
export function upsertConversation(qc: QueryClient, next: Conversation): boolean {
  let allHad = true;
  for (const [key, data] of qc.getQueriesData<ListData>({ queryKey: qk.conversationsAll })) {
    if (!data) continue;
    const f = (key[1] ?? {}) as ConversationFilter;
    const had = data.conversations.find((c) => c.id === next.id);
    // Keep the contact we already have when an event carries none.
    const merged: Conversation = had && !next.contact ? { ...next, contact: had.contact } : next;
    let list = data.conversations.filter((c) => c.id !== next.id);
    if (matches(merged, f)) {
      if (!had && !merged.contact) allHad = false;
      list = [...list, merged].sort(byRecent);
    }
    qc.setQueryData<ListData>(key, { conversations: list });
  }
  const one = qc.getQueryData<{ conversation: Conversation }>(qk.conversation(next.id));
  if (one) qc.setQueryData(qk.conversation(next.id), { conversation: { ...next, contact: next.contact ?? one.conversation.contact } });
  return allHad;
}

/** A message arrived: move the conversation up, update its preview and unread count. */
export function noteMessage(qc: QueryClient, m: Message, opts: { viewing: boolean }): boolean {
  let found = false;
  const patch = (c: Conversation): Conversation => {
    if (c.id !== m.conversationId || m.seq <= c.lastSeq) return c;
    found = true;
    const unread = m.direction === 'inbound' && !opts.viewing ? c.unreadCount + 1 : c.unreadCount;
    return { ...c, lastSeq: m.seq, lastMessageAt: m.createdAt, lastMessagePreview: m.text.slice(0, 120), unreadCount: unread, updatedAt: m.createdAt };
  };
  for (const [key, data] of qc.getQueriesData<ListData>({ queryKey: qk.conversationsAll })) {
    if (!data) continue;
    if (data.conversations.some((c) => c.id === m.conversationId)) found = true;
    qc.setQueryData<ListData>(key, { conversations: data.conversations.map(patch).sort(byRecent) });
  }
  const one = qc.getQueryData<{ conversation: Conversation }>(qk.conversation(m.conversationId));
  if (one) qc.setQueryData(qk.conversation(m.conversationId), { conversation: patch(one.conversation) });
  return found;
}

/** The agent side read up to `uptoSeq` (this session or another of the same agent). */
export function noteAgentRead(qc: QueryClient, conversationId: string, uptoSeq: number): void {
  const patch = (c: Conversation): Conversation =>
    c.id === conversationId && uptoSeq > c.agentReadSeq ? { ...c, agentReadSeq: uptoSeq, unreadCount: uptoSeq >= c.lastSeq ? 0 : c.unreadCount } : c;
  for (const [key, data] of qc.getQueriesData<ListData>({ queryKey: qk.conversationsAll })) {
    if (data) qc.setQueryData<ListData>(key, { conversations: data.conversations.map(patch) });
  }
}
