/**
 * Domain events. Use cases emit after their commit; the realtime gateway (and later WeCom sync,
 * audit, AI jobs) subscribe. Listeners run synchronously and must not throw into the emitter.
 */
import type { Conversation, Message } from '@kefu/shared';
import type { QuotaState } from './tiers/quota.ts';
import type { HeldMessage } from './moderation/held.ts';

export interface DomainEvents {
  'message.created': { orgId: string; conversation: Conversation; message: Message; contactId: string };
  'message.receipt': { orgId: string; conversation: Conversation; side: 'agent' | 'contact'; kind: 'delivered' | 'read'; uptoSeq: number; at: number };
  'conversation.updated': { orgId: string; conversation: Conversation; previousAssigneeId: string | null };
  'agent.disabled': { orgId: string; agentId: string };
  'session.ended': { sessionId: string; agentId: string };
  'quota.updated': { orgId: string; agentId: string; quota: QuotaState };
  'held.updated': { orgId: string; held: HeldMessage };
}

type Listener<K extends keyof DomainEvents> = (e: DomainEvents[K]) => void;

export class EventBus {
  private readonly listeners = new Map<keyof DomainEvents, Set<Listener<any>>>();
  constructor(private readonly onError: (e: unknown, name: string) => void = () => {}) {}

  on<K extends keyof DomainEvents>(name: K, fn: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  emit<K extends keyof DomainEvents>(name: K, event: DomainEvents[K]): void {
    for (const fn of this.listeners.get(name) ?? []) {
      try {
        fn(event);
      } catch (e) {
        this.onError(e, name);
      }
    }
  }
}

export interface Clock { now(): number }
export const systemClock: Clock = { now: () => Date.now() };
