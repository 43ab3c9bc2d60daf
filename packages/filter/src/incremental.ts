import type { ScanState } from './filter.ts';
import type { Edit } from './types.ts';

export function applyEdit(text: string, ed: Edit): string {
  if (ed.start < 0 || ed.start > text.length || ed.deleteCount < 0 || ed.start + ed.deleteCount > text.length)
    throw new RangeError(`edit out of range: ${JSON.stringify({ start: ed.start, deleteCount: ed.deleteCount })} on ${text.length}`);
  return text.slice(0, ed.start) + ed.insert + text.slice(ed.start + ed.deleteCount);
}

export function incrementalEdit(st: ScanState, ed: Edit, begin: (text: string) => ScanState): ScanState {
  // TODO(issue 3): re-scan only the affected window; this first version rescans everything.
  return begin(applyEdit(st.text, ed));
}
