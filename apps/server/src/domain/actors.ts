import type { Tier } from '@kefu/shared';

export interface AgentActor {
  kind: 'agent';
  agentId: string;
  orgId: string;
  tier: Tier;
  name: string;
  sessionId: string;
  mfa: boolean;
}

export interface ContactActor {
  kind: 'contact';
  contactId: string;
  orgId: string;
  platformId: string;
  nickname: string;
}

export type Actor = AgentActor | ContactActor;
