import type { QueryClient } from '@tanstack/react-query';
import { LIMITS, isErrorBody, type Message } from '@kefu/shared';
import { api } from '../api/client.ts';
import { MessageStore } from '../lib/messageStore.ts';
import { fillGap } from '../lib/gap.ts';
import { noteAgentRead, noteMessage, qk, upsertConversation } from '../lib/conversationCache.ts';
import { connectSocket, type KefuSocket } from './socket.ts';

export type ConnectionState = 'connecting' | 'online' | 'offline';

/**
 * The workbench's live state: one socket per tab, one MessageStore per opened conversation,
 * typing marks, and the TanStack Query caches patched from events. Pushes are at-least-once;
 * after every reconnect the client asks for everything after its last seq (`sync`).
 */
export class AgentRealtime {
  readonly stores = new Map<string, MessageStore>();
  private socket: KefuSocket | null = null;
  private everConnected = false;
  private state: ConnectionState = 'connecting';
  private typingUntil = new Map<string, number>();
  private typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private listeners = new Set<() => void>();
  private version = 0;
  /** The conversation on screen: its inbound messages do not count as unread. */
  viewing: string | null = null;

  constructor(
    private readonly qc: QueryClient,
    private readonly onSessionEnded: () => void,
  ) {}

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getVersion = () => this.version;
  get connection(): ConnectionState {
    return this.state;
  }
  isTyping(conversationId: string): boolean {
    return (this.typingUntil.get(conversationId) ?? 0) > Date.now();
  }

  storeFor(conversationId: string): MessageStore {
    let s = this.stores.get(conversationId);
    if (!s) {
      s = new MessageStore();
      this.stores.set(conversationId, s);
    }
    return s;
  }

  start(): void {
    if (this.socket) return;
    const socket = connectSocket();
    this.socket = socket;
    socket.on('connect', () => {
      const reconnect = this.everConnected;
      this.everConnected = true;
      this.setState('online');
      if (reconnect) void this.resync();
    });
    socket.on('disconnect', () => this.setState('offline'));
    socket.on('connect_error', () => this.setState(this.everConnected ? 'offline' : 'connecting'));
    socket.on('message.created', ({ conversationId, message }) => this.onMessage(conversationId, message));
    socket.on('message.receipt', (e) => {
      if (e.side === 'contact') this.stores.get(e.conversationId)?.applyReceipt(e.kind, e.uptoSeq);
      else if (e.kind === 'read') noteAgentRead(this.qc, e.conversationId, e.uptoSeq);
    });
    socket.on('conversation.updated', ({ conversation }) => {
      this.stores.get(conversation.id)?.applyReceipt('delivered', conversation.contactDeliveredSeq);
      this.stores.get(conversation.id)?.applyReceipt('read', conversation.contactReadSeq);
      if (!upsertConversation(this.qc, conversation)) void this.qc.invalidateQueries({ queryKey: qk.conversationsAll });
      const store = this.stores.get(conversation.id);
      if (store && conversation.lastSeq > store.lastSeq) {
        store.noteLastSeq(conversation.lastSeq);
        void this.fill(conversation.id);
      }
    });
    socket.on('typing', (e) => {
      if (e.side !== 'contact') return;
      this.setTyping(e.conversationId, e.typing);
    });
    socket.on('presence', () => void this.qc.invalidateQueries({ queryKey: qk.agents }));
    socket.on('session.ended', () => this.onSessionEnded());
    // The agent's own remaining daily quota, after each of their sends (any of their sessions).
    socket.on('quota.updated', (quota) => this.qc.setQueryData(['me', 'quota'], quota));
  }

  stop(): void {
    this.socket?.disconnect();
    this.socket = null;
    for (const t of this.typingTimers.values()) clearTimeout(t);
  }

  /** Tell the contact the agent is typing (throttled by the caller). */
  sendTyping(conversationId: string, typing: boolean): void {
    if (this.socket?.connected) this.socket.emit('typing', { conversationId, typing });
  }

  /** Load the newest page of a conversation the first time it is opened. */
  async loadLatest(conversationId: string): Promise<void> {
    const store = this.storeFor(conversationId);
    if (store.lastSeq > 0) return this.fill(conversationId);
    // No afterSeq/beforeSeq: the server answers the latest page.
    const page = await api.conversations.messages(conversationId, { limit: 50 });
    store.merge(page.messages);
    store.setHasMoreBefore(page.hasMore || (page.messages[0]?.seq ?? 1) > 1);
  }

  async loadEarlier(conversationId: string): Promise<number> {
    const store = this.storeFor(conversationId);
    if (!store.getSnapshot().hasMoreBefore || store.firstSeq <= 1) {
      store.setHasMoreBefore(false);
      return 0;
    }
    const page = await api.conversations.messages(conversationId, { beforeSeq: store.firstSeq, limit: 100 });
    const added = store.merge(page.messages);
    store.setHasMoreBefore(page.hasMore && store.firstSeq > 1);
    return added;
  }

  private async fill(conversationId: string): Promise<void> {
    const store = this.stores.get(conversationId);
    if (!store) return;
    await fillGap(store, (afterSeq) => api.conversations.messages(conversationId, { afterSeq, limit: 200 }));
  }

  private onMessage(conversationId: string, message: Message): void {
    const store = this.stores.get(conversationId);
    if (store) {
      store.merge([message]);
      if (store.hasGap) void this.fill(conversationId);
    }
    if (message.direction === 'inbound') this.setTyping(conversationId, false);
    const known = noteMessage(this.qc, message, { viewing: this.viewing === conversationId });
    if (!known) void this.qc.invalidateQueries({ queryKey: qk.conversationsAll });
  }

  /** After a reconnect: one `sync` for every conversation held, then refresh the lists. */
  private async resync(): Promise<void> {
    const since: Record<string, number> = {};
    for (const [id, s] of this.stores) if (s.lastSeq > 0) since[id] = s.contiguousSeq;
    const socket = this.socket;
    if (socket && Object.keys(since).length) {
      const reply = await new Promise<{ messages: Message[] } | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), 5000);
        socket.emit('sync', { since }, (r) => {
          clearTimeout(timer);
          resolve(isErrorBody(r) ? null : r);
        });
      });
      if (reply) {
        for (const m of reply.messages) this.stores.get(m.conversationId)?.merge([m]);
      }
      // Whatever the socket did not bring (or if it failed), HTTP fills by seq.
      await Promise.all(Object.keys(since).map((id) => this.fill(id).catch(() => undefined)));
    }
    void this.qc.invalidateQueries({ queryKey: qk.conversationsAll });
    void this.qc.invalidateQueries({ queryKey: qk.agents });
  }

  private setTyping(conversationId: string, typing: boolean): void {
    const old = this.typingTimers.get(conversationId);
    if (old) clearTimeout(old);
    if (typing) {
      this.typingUntil.set(conversationId, Date.now() + LIMITS.typingTtlMs);
      this.typingTimers.set(
        conversationId,
        setTimeout(() => {
          this.typingUntil.delete(conversationId);
          this.bump();
        }, LIMITS.typingTtlMs),
      );
    } else this.typingUntil.delete(conversationId);
    this.bump();
  }

  private setState(s: ConnectionState): void {
    if (this.state !== s) {
      this.state = s;
      this.bump();
    }
  }

  private bump(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }
}
