import type { Message } from '@kefu/shared';
import type { MessageStore } from './messageStore.ts';

/**
 * Fetch everything after the last gap-free message until the store has no gap. Pages are merged
 * by seq, so a page that overlaps a push (or arrives twice) adds nothing twice.
 */
export async function fillGap(store: MessageStore, fetchAfter: (afterSeq: number) => Promise<{ messages: Message[]; hasMore: boolean }>, maxPages = 50): Promise<number> {
  let added = 0;
  for (let i = 0; i < maxPages; i++) {
    const from = store.contiguousSeq;
    const page = await fetchAfter(from);
    added += store.merge(page.messages);
    if (page.messages.length === 0 || store.contiguousSeq === from) break;
    if (!page.hasMore && !store.hasGap) break;
  }
  return added;
}
