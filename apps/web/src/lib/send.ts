import type { Message } from '@kefu/shared';
import { asApiError, type ApiError } from '../api/errors.ts';
import type { MessageStore } from './messageStore.ts';

/**
 * Send one message through a store: shown at once as pending, replaced by the committed
 * message when the server acknowledges, or marked failed. A retry passes the same client
 * message id, so the server returns the original instead of sending twice.
 */
export async function sendThrough(
  store: MessageStore,
  clientMessageId: string,
  text: string,
  send: (body: { clientMessageId: string; text: string }) => Promise<{ message: Message }>,
): Promise<{ ok: true; message: Message } | { ok: false; error: ApiError }> {
  store.addPending({ clientMessageId, text });
  store.markPending(clientMessageId, 'sending');
  try {
    const { message } = await send({ clientMessageId, text });
    store.merge([message]);
    return { ok: true, message };
  } catch (e) {
    const error = asApiError(e);
    store.markPending(clientMessageId, 'failed', error.code);
    return { ok: false, error };
  }
}
