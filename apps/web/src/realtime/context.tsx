import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AgentRealtime, ConnectionState } from './agentRealtime.ts';
import type { MessageSnapshot, MessageStore } from '../lib/messageStore.ts';

export const RealtimeContext = createContext<AgentRealtime | null>(null);

export function useRealtime(): AgentRealtime {
  const rt = useContext(RealtimeContext);
  if (!rt) throw new Error('useRealtime outside RealtimeContext');
  return rt;
}

export function useConnection(): ConnectionState {
  const rt = useRealtime();
  useSyncExternalStore(rt.subscribe, rt.getVersion);
  return rt.connection;
}

export function useContactTyping(conversationId: string): boolean {
  const rt = useRealtime();
  useSyncExternalStore(rt.subscribe, rt.getVersion);
  return rt.isTyping(conversationId);
}

export function useMessages(store: MessageStore): MessageSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
