/**
 * Authorisation, declared in one place: `can(actor, action, subject)` is checked before data is
 * read. Basic and senior agents see conversations assigned to them and the unassigned queue;
 * admins see every conversation of their organisation. Nobody crosses organisations.
 */
import { TIER_DEFAULTS } from '@kefu/shared';
import type { Actor } from './actors.ts';

export type Action =
  | 'agent.create'
  | 'agent.list'
  | 'contact.write'
  | 'contact.read'
  | 'conversation.read'
  | 'conversation.send'
  | 'conversation.update';

export interface ConversationSubject { orgId: string; assigneeId: string | null; contactId: string }

export function can(actor: Actor, action: Action, subject?: ConversationSubject | { orgId: string }): boolean {
  if (subject && subject.orgId !== actor.orgId) return false;
  if (actor.kind === 'contact') {
    if (action === 'conversation.read' || action === 'conversation.send') {
      return !!subject && 'contactId' in subject && subject.contactId === actor.contactId;
    }
    return false;
  }
  if (!actor.mfa) return false;
  switch (action) {
    case 'agent.create':
      return actor.tier === 'admin';
    case 'agent.list':
    case 'contact.read':
    case 'contact.write':
      return true;
    case 'conversation.read':
    case 'conversation.send':
    case 'conversation.update': {
      if (!subject || !('assigneeId' in subject)) return true;
      if (TIER_DEFAULTS[actor.tier].readOthers) return true;
      return subject.assigneeId === null || subject.assigneeId === actor.agentId;
    }
  }
}
