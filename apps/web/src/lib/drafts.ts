/**
 * Drafts survive a reload and a lost session: they live in localStorage, per conversation,
 * so the agent who signs in again finds the text where they left it.
 */
const KEY = (id: string) => `kefu.draft.${id}`;

export function loadDraft(conversationId: string): string {
  try {
    return localStorage.getItem(KEY(conversationId)) ?? '';
  } catch {
    return '';
  }
}

export function saveDraft(conversationId: string, text: string): void {
  try {
    if (text) localStorage.setItem(KEY(conversationId), text);
    else localStorage.removeItem(KEY(conversationId));
  } catch {
    /* storage full or blocked: the draft stays in memory only */
  }
}
