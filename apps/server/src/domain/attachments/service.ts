/**
 * Attachments: receive an upload (streamed to a spool file with the size cap enforced while
 * streaming), sniff its type from the bytes, apply the tier rule, clean images, store the bytes,
 * then record the row; and serve them back to the conversation's members only.
 *
 * A refused or failed upload leaves nothing behind: the spool file is always removed, stored
 * blobs are deleted when the row cannot be written, and the row is written last.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KefuError, type Attachment, type Channel } from '@kefu/shared';
import type { AttachmentsTable, ConversationsTable } from '../../infra/db/schema.ts';
import { newId, randomToken } from '../../lib/ids.ts';
import { safeEqual } from '../../lib/crypto.ts';
import type { Actor, AgentActor, ContactActor } from '../actors.ts';
import type { Ctx } from '../context.ts';
import { can } from '../policy.ts';
import { effectivePolicy } from '../tiers/policy.ts';
import { ensureContactConversation } from '../conversations/service.ts';
import { conversationRepo } from '../conversations/repository.ts';
import { presentAttachment } from './links.ts';
import { attachmentRepo } from './repository.ts';
import { ImageCleaner, ImageRefused } from './images.ts';
import { allows, cleanName, CONTACT_ALLOWANCE, deliveryFor, describeAllowance, sniffFile, type Allowance, type Delivery } from './kinds.ts';
import type { BlobStorage } from './storage.ts';

export interface UploadLimits {
  /** Largest accepted upload, any channel. */
  maxBytes: number;
  /** Tighter caps of some channels (WeCom: 20 MB). */
  channelMaxBytes: Partial<Record<Channel, number>>;
  /** Images with more pixels are refused before decoding (decompression bombs). */
  imageMaxPixels: number;
  /** Images cleaned at once (null: cores − 1, at least 1). */
  imageJobs?: number | null;
}

/** DESIGN 1.2 step 5: images over 2 MB are re-encoded and scaled down until under it. */
export const IMAGE_TARGET_BYTES = 2_000_000;
export const THUMBNAIL_SIZE = 320;
/** Lifetime of a signed download link (customer page `<img src>`). */
export const LINK_TTL_SECONDS = 600;
/** Uploads not sent with a message within a day are removed. */
export const UNSENT_TTL_MS = 24 * 3600 * 1000;

/** Where an upload goes and what it may be, settled before a byte of the body is read. */
export interface UploadTarget {
  conversation: ConversationsTable;
  uploaderKey: string;
  allowance: Allowance;
  maxBytes: number;
}

export type Variant = 'original' | 'thumbnail';

export interface Download {
  attachment: AttachmentsTable;
  stream: Readable;
  size: number;
  /** Set when a byte range was served. */
  range: { start: number; end: number; total: number } | null;
  delivery: Delivery;
  filename: string;
}

const subject = (c: ConversationsTable) => ({ orgId: c.org_id, assigneeId: c.assignee_id, contactId: c.contact_id });

export class AttachmentService {
  readonly images: ImageCleaner;

  constructor(
    private readonly ctx: Ctx,
    readonly storage: BlobStorage,
    readonly limits: UploadLimits,
    private readonly spoolDir: string,
  ) {
    this.images = new ImageCleaner({ maxPixels: limits.imageMaxPixels, targetBytes: IMAGE_TARGET_BYTES, thumbSize: THUMBNAIL_SIZE }, limits.imageJobs ?? undefined);
  }

  capFor(channel: string): number {
    return Math.min(this.limits.maxBytes, this.limits.channelMaxBytes[channel as Channel] ?? Infinity);
  }

  async agentTarget(actor: AgentActor, conversationId: string): Promise<UploadTarget> {
    const c = await conversationRepo.byId(this.ctx.database.db, actor.orgId, conversationId);
    if (!c || !can(actor, 'conversation.send', subject(c))) throw new KefuError('CONVERSATION_NOT_FOUND');
    const policy = await effectivePolicy(this.ctx, actor.orgId, actor.tier);
    return { conversation: c, uploaderKey: `a:${actor.agentId}`, allowance: policy.attachments, maxBytes: this.capFor(c.channel) };
  }

  /**
   * A platform user uploads into their open conversation; the message that carries the file goes
   * to the same one (the send path writes into the open conversation too).
   */
  async contactTarget(actor: ContactActor): Promise<UploadTarget> {
    // A picture may be the user's first message: it opens their conversation like text does.
    const c = await ensureContactConversation(this.ctx, actor);
    if (!can(actor, 'conversation.send', subject(c))) throw new KefuError('CONVERSATION_NOT_FOUND');
    return { conversation: c, uploaderKey: `c:${actor.contactId}`, allowance: CONTACT_ALLOWANCE, maxBytes: this.capFor(c.channel) };
  }

  tooLarge(target: UploadTarget): KefuError {
    return new KefuError('ATTACHMENT_TOO_LARGE', `The file is larger than ${formatBytes(target.maxBytes)}.`, { maxBytes: target.maxBytes });
  }

  /**
   * Receive one file. `truncated()` tells whether the multipart parser cut the file at its own
   * limit (a backstop; the counter here stops first).
   */
  async upload(target: UploadTarget, file: Readable, filename: string | undefined, truncated: () => boolean = () => false): Promise<Attachment> {
    await mkdir(this.spoolDir, { recursive: true });
    const spool = join(this.spoolDir, `${randomToken(12)}.upload`);
    const stored: string[] = [];
    try {
      const size = await this.spoolTo(file, spool, target);
      if (truncated()) throw this.tooLarge(target);
      if (size === 0) throw new KefuError('VALIDATION_FAILED', 'The file is empty.', { field: 'file' });

      const sniffed = await sniffFile(spool);
      if (!allows(target.allowance, sniffed.kind)) {
        throw new KefuError('ATTACHMENT_TYPE_FORBIDDEN', `You may send ${describeAllowance(target.allowance)}; this file is ${sniffed.mime}.`, {
          mime: sniffed.mime, kind: sniffed.kind,
        });
      }

      const now = this.ctx.clock.now();
      const id = newId(now);
      const key = `${id.slice(-2)}/${id}`;
      const row: AttachmentsTable = {
        id, org_id: target.conversation.org_id, conversation_id: target.conversation.id, uploader_key: target.uploaderKey, message_id: null,
        kind: sniffed.kind, mime: sniffed.mime, name: '', size, width: null, height: null, storage_key: key, thumb_key: null, created_at: now,
      };
      if (sniffed.kind === 'image') {
        const img = await this.cleanImage(spool, size);
        stored.push(key);
        await this.storage.put(key, img.data);
        stored.push(`${key}.thumb`);
        await this.storage.put(`${key}.thumb`, img.thumb);
        Object.assign(row, { mime: img.mime, size: img.data.length, width: img.width, height: img.height, thumb_key: `${key}.thumb`, name: cleanName(filename, img.ext, 'image') });
      } else {
        stored.push(key);
        await this.storage.put(key, { file: spool });
        row.name = cleanName(filename, sniffed.ext, 'file');
      }
      await this.ctx.database.write((trx) => attachmentRepo.insert(trx, row));
      stored.length = 0;
      return presentAttachment(row);
    } finally {
      await rm(spool, { force: true });
      for (const k of stored) {
        await this.storage.delete(k).catch((err) => this.ctx.log.error({ err, key: k }, 'could not delete the blob of a failed upload'));
      }
    }
  }

  private async cleanImage(spool: string, size: number) {
    try {
      return await this.images.clean(spool, size);
    } catch (err) {
      if (!(err instanceof ImageRefused)) throw err;
      if (err.reason === 'too_many_pixels') throw new KefuError('ATTACHMENT_TOO_LARGE', err.message, { reason: 'IMAGE_DIMENSIONS', ...err.details });
      throw new KefuError('VALIDATION_FAILED', err.message, { reason: 'IMAGE_UNREADABLE', field: 'file' });
    }
  }

  /** Stream to the spool file, counting: past the cap the upload stops at once. */
  private async spoolTo(file: Readable, spool: string, target: UploadTarget): Promise<number> {
    let size = 0;
    let sourceError: Error | null = null;
    file.once('error', (e) => (sourceError = e));
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        size += chunk.length;
        if (size > target.maxBytes) cb(this.tooLarge(target));
        else cb(null, chunk);
      },
    });
    const out = createWriteStream(spool, { flags: 'wx', mode: 0o600 });
    try {
      await pipeline(file, counter, out);
    } catch (err) {
      // The file may still be opening: let it close, or the caller's cleanup runs before it exists.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      if (err instanceof KefuError) throw err;
      // The client went away or sent a broken form: their problem, not a 500.
      if (sourceError) throw new KefuError('VALIDATION_FAILED', 'The upload was interrupted or the form is malformed.', { field: 'file' });
      throw err;
    }
    return size;
  }

  /**
   * Remove uploads nobody sent within `maxAgeMs` (an agent attached a file and closed the tab).
   * The row goes first: a blob without a row is invisible, a row without its blob is not.
   */
  async sweepUnsent(maxAgeMs = UNSENT_TTL_MS): Promise<number> {
    const before = this.ctx.clock.now() - maxAgeMs;
    let removed = 0;
    for (;;) {
      const rows = await attachmentRepo.unsentBefore(this.ctx.database.db, before, 200);
      if (rows.length === 0) return removed;
      const gone = await this.ctx.database.write((trx) => attachmentRepo.deleteUnsent(trx, rows.map((r) => r.id)));
      for (const r of gone) {
        await this.storage.delete(r.storage_key);
        if (r.thumb_key) await this.storage.delete(r.thumb_key);
      }
      removed += gone.length;
      if (rows.length < 200) return removed;
    }
  }

  // ── Serving ──────────────────────────────────────────────────────────────────────────────

  /** The row, if this actor is a member of its conversation (and, before it is sent, its uploader). */
  async visibleTo(actor: Actor, id: string): Promise<AttachmentsTable> {
    const row = await attachmentRepo.byId(this.ctx.database.db, actor.orgId, id);
    const conv = row && (await conversationRepo.byId(this.ctx.database.db, row.org_id, row.conversation_id));
    const key = actor.kind === 'agent' ? `a:${actor.agentId}` : `c:${actor.contactId}`;
    if (!row || !conv || !can(actor, 'conversation.read', subject(conv)) || (row.message_id === null && row.uploader_key !== key)) {
      throw new KefuError('NOT_FOUND', 'No such attachment.');
    }
    return row;
  }

  /** A link that works without headers (for `<img src>` on the customer page) until it expires. */
  signedLink(row: AttachmentsTable): { url: string; thumbnailUrl: string | null; expiresAt: string } {
    const exp = Math.floor(this.ctx.clock.now() / 1000) + LINK_TTL_SECONDS;
    const q = `?exp=${exp}&sig=${this.signature(row.id, exp)}`;
    const a = presentAttachment(row);
    return { url: a.url + q, thumbnailUrl: a.thumbnailUrl ? a.thumbnailUrl + q : null, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async bySignature(id: string, exp: number, sig: string): Promise<AttachmentsTable> {
    const valid = Number.isInteger(exp) && exp > Math.floor(this.ctx.clock.now() / 1000) && safeEqual(this.signature(id, exp), sig);
    const row = valid ? (await attachmentRepo.byIds(this.ctx.database.db, [id]))[0] : undefined;
    if (!row) throw new KefuError('NOT_FOUND', 'No such attachment, or the link has expired.');
    return row;
  }

  private signature(id: string, exp: number): string {
    return this.ctx.keys.blindIndex('attachment-link', `${id}.${exp}`);
  }

  async open(row: AttachmentsTable, variant: Variant, rangeHeader?: string): Promise<Download> {
    const key = variant === 'thumbnail' ? row.thumb_key : row.storage_key;
    if (!key) throw new KefuError('NOT_FOUND', 'This attachment has no thumbnail.');
    const st = await this.storage.stat(key);
    if (!st) {
      this.ctx.log.error({ attachmentId: row.id, key }, 'attachment row without its blob');
      throw new KefuError('NOT_FOUND', 'No such attachment.');
    }
    const range = variant === 'original' ? parseRange(rangeHeader, st.size) : null;
    const stream = await this.storage.get(key, range ?? undefined);
    if (!stream) throw new KefuError('NOT_FOUND', 'No such attachment.');
    const delivery = variant === 'thumbnail' ? deliveryFor('image', 'image/webp') : deliveryFor(row.kind as Attachment['kind'], row.mime);
    const filename = variant === 'thumbnail' ? cleanName(row.name, 'webp', 'thumbnail') : row.name;
    return {
      attachment: row, stream, delivery, filename,
      size: range ? range.end - range.start + 1 : st.size,
      range: range ? { ...range, total: st.size } : null,
    };
  }
}

/** One `bytes=a-b` range (what video players ask for); anything else is ignored (RFC 9110 allows it). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  const m = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || size === 0 || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end || start >= size) return null;
  return { start, end };
}

/** `Content-Disposition` with an ASCII fallback and the real name per RFC 5987/6266. */
export function contentDisposition(inline: boolean, name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}
