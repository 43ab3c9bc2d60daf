import type { Tier } from '@kefu/shared';

export interface AgentActor {
  kind: 'agent';
  agentId: string;
  orgId: string;
  tier: Tier;
  name: string;
  sessionId: string;
  mfa: boolean;
  /** An admin restricted sending while an account-review case is worked (read with the session). */
  restricted?: boolean;
}

export interface ContactActor {
  kind: 'contact';
  contactId: string;
  orgId: string;
  platformId: string;
  nickname: string;
}

export type Actor = AgentActor | ContactActor;
