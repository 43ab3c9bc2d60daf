/**
 * What a file is, from its bytes (file-type), and who may send it. The name and the declared
 * content type are never consulted: a PNG called `.jpg` is a PNG, an ELF called `.png` is a file.
 */

import type { Attachment } from '@kefu/shared';
import type { TierPolicy } from '../tiers/policy.ts';

export type Kind = Attachment['kind'];

export interface Sniffed { kind: Kind; mime: string; ext: string | null }

/** Images we decode, clean and re-encode ourselves; any other image type is an ordinary file. */
export const PROCESSABLE_IMAGES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff']);

/**
 * Types a browser may render inline from our origin. Everything else (SVG, HTML, XML, PDF,
 * unknown bytes) is served as `application/octet-stream` with `Content-Disposition: attachment`.
 */
const INLINE_SAFE = new Set([
  'image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif',
  'video/mp4', 'video/webm', 'video/quicktime', 'video/ogg', 'video/3gpp',
  'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/ogg', 'audio/wav', 'audio/webm', 'audio/x-m4a',
]);

export async function sniffFile(path: string): Promise<Sniffed> {
  // Loaded on the first upload rather than at server start.
  const { fileTypeFromFile } = await import('file-type');
  const t = await fileTypeFromFile(path);
  if (!t) return { kind: 'file', mime: 'application/octet-stream', ext: null };
  const kind: Kind = PROCESSABLE_IMAGES.has(t.mime) ? 'image' : t.mime.startsWith('video/') ? 'video' : t.mime.startsWith('audio/') ? 'audio' : 'file';
  return { kind, mime: t.mime, ext: t.ext };
}

export type Allowance = TierPolicy['attachments'];

/** Platform users may send images and video, like a senior agent. */
export const CONTACT_ALLOWANCE: Allowance = 'images_video';

export function allows(allowance: Allowance, kind: Kind): boolean {
  if (allowance === 'all') return true;
  if (allowance === 'images_video') return kind === 'image' || kind === 'video';
  return kind === 'image';
}

export function describeAllowance(allowance: Allowance): string {
  return allowance === 'images' ? 'images (JPEG, PNG, WebP, GIF, AVIF, TIFF)' : allowance === 'images_video' ? 'images and video' : 'any file';
}

export interface Delivery { contentType: string; inline: boolean }

/** How stored bytes are served: inline only for types a browser cannot execute as a document. */
export function deliveryFor(kind: Kind, mime: string): Delivery {
  if (INLINE_SAFE.has(mime) && (kind === 'image' || kind === 'video' || kind === 'audio')) return { contentType: mime, inline: true };
  return { contentType: 'application/octet-stream', inline: false };
}

/** A display name the user chose, cleaned; its extension follows the real type. */
export function cleanName(raw: string | undefined, ext: string | null, fallback: string): string {
  let name = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // Control and bidi-override characters make names that lie about their extension.
  name = name.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim().slice(0, 200);
  if (!name || name === '.' || name === '..') name = fallback;
  if (ext) {
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const cur = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
    const same = cur === ext || (ext === 'jpg' && cur === 'jpeg') || (ext === 'tif' && cur === 'tiff');
    if (!same) name = `${stem}.${ext}`;
  }
  return name;
}
