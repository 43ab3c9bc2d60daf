import type { Edit } from './types.ts';

/** The text after an edit; throws on an edit outside the text. */
export function applyEdit(text: string, ed: Edit): string {
  if (ed.start < 0 || ed.start > text.length || ed.deleteCount < 0 || ed.start + ed.deleteCount > text.length)
    throw new RangeError(`edit out of range: ${JSON.stringify({ start: ed.start, deleteCount: ed.deleteCount })} on ${text.length}`);
  return text.slice(0, ed.start) + ed.insert + text.slice(ed.start + ed.deleteCount);
}
