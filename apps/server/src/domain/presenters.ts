/** Rows → API objects. The only place stored shapes turn into public ones. */
import type { Agent, Attachment, Contact, Conversation, Message, Order, Tier } from '@kefu/shared';
import type { AgentsTable, ContactsTable, ConversationsTable, MessagesTable, OrdersTable } from '../infra/db/schema.ts';
import type { KeyRing } from '../lib/crypto.ts';

const iso = (t: number) => new Date(t).toISOString();
const isoOrNull = (t: number | null) => (t == null ? null : iso(t));

export function presentAgent(a: AgentsTable): Agent {
  return {
    id: a.id,
    orgId: a.org_id,
    email: a.email,
    name: a.name,
    tier: a.tier as Tier,
    disabled: !!a.disabled,
    totpEnrolled: !!a.totp_secret_enc,
    createdAt: iso(a.created_at),
  };
}

export function presentContact(c: ContactsTable): Contact {
  return {
    id: c.id,
    platformId: c.platform_id,
    nickname: c.nickname,
    phoneMasked: c.phone_masked,
    avatarUrl: c.avatar_url,
    createdAt: iso(c.created_at),
  };
}

export function presentOrder(o: OrdersTable): Order {
  return {
    id: o.id,
    orderNo: o.order_no,
    contactId: o.contact_id,
    items: JSON.parse(o.items_json) as Order['items'],
    amount: o.amount_fen / 100,
    status: o.status as Order['status'],
    createdAt: iso(o.created_at),
  };
}

export function presentConversation(c: ConversationsTable, keys: KeyRing, contact?: ContactsTable): Conversation {
  return {
    id: c.id,
    contactId: c.contact_id,
    ...(contact ? { contact: presentContact(contact) } : {}),
    assigneeId: c.assignee_id,
    status: c.status as Conversation['status'],
    businessType: c.business_type as Conversation['businessType'],
    channel: c.channel as Conversation['channel'],
    lastSeq: c.last_seq,
    lastMessageAt: isoOrNull(c.last_message_at),
    lastMessagePreview: c.last_preview_enc ? keys.decrypt(c.last_preview_enc) : null,
    unreadCount: c.unread_count,
    agentReadSeq: c.agent_read_seq,
    contactDeliveredSeq: c.contact_delivered_seq,
    contactReadSeq: c.contact_read_seq,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}

export function presentMessage(m: MessagesTable, keys: KeyRing, senderName: string | null = null, attachments: Attachment[] = []): Message {
  return {
    id: m.id,
    conversationId: m.conversation_id,
    seq: m.seq,
    direction: m.direction as Message['direction'],
    senderType: m.sender_type as Message['senderType'],
    senderId: m.sender_id,
    senderName,
    text: keys.decrypt(m.body_enc),
    attachments,
    clientMessageId: m.client_message_id,
    createdAt: iso(m.created_at),
    deliveredAt: isoOrNull(m.delivered_at),
    readAt: isoOrNull(m.read_at),
  };
}
