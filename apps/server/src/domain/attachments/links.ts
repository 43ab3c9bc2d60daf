/**
 * Linking uploaded attachments to messages, used by the send path. Upload, type sniffing,
 * compression, storage and serving live beside this file.
 */
import { KefuError, type Attachment } from '@kefu/shared';
import type { Tx } from '../../infra/db/index.ts';
import type { AttachmentsTable } from '../../infra/db/schema.ts';
import { attachmentRepo } from './repository.ts';

export function presentAttachment(a: AttachmentsTable): Attachment {
  return {
    id: a.id,
    kind: a.kind as Attachment['kind'],
    mime: a.mime,
    name: a.name,
    size: a.size,
    width: a.width,
    height: a.height,
    url: `/api/v1/attachments/${a.id}`,
    thumbnailUrl: a.thumb_key ? `/api/v1/attachments/${a.id}/thumbnail` : null,
  };
}

/**
 * Inside the send transaction: the ids must be the sender's own, unsent uploads into this
 * conversation. A retry with the same client message id never gets here (it returns earlier).
 */
export async function claimAttachmentsTx(trx: Tx, conversationId: string, senderKey: string, ids: string[], messageId: string): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  const rows = await attachmentRepo.byIds(trx, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const r = byId.get(id);
    if (!r || r.conversation_id !== conversationId || r.uploader_key !== senderKey || r.message_id !== null) {
      throw new KefuError('VALIDATION_FAILED', 'An attachment is unknown, already sent, or not yours.', { attachmentId: id });
    }
  }
  // Two sends racing for one upload: the row lock lets one link it; the other must not claim it.
  if ((await attachmentRepo.linkToMessage(trx, ids, messageId)) !== ids.length) {
    throw new KefuError('VALIDATION_FAILED', 'An attachment was sent with another message meanwhile.', { attachmentIds: ids });
  }
  return ids.map((id) => presentAttachment(byId.get(id)!));
}

export async function attachmentsForMessages(tx: Tx, messageIds: string[]): Promise<Map<string, Attachment[]>> {
  const map = new Map<string, Attachment[]>();
  for (const r of await attachmentRepo.forMessages(tx, messageIds)) {
    const list = map.get(r.message_id!) ?? [];
    list.push(presentAttachment(r));
    map.set(r.message_id!, list);
  }
  return map;
}
