/**
 * The sensitive-word filter in use. Built once from the built-in lexicon (organisation lexicons
 * come with the moderation work); scanning is a pure, allocation-light call.
 */
import { buildFilter, defaultAllowList, defaultLexicon, type Filter, type ScanResult } from '@kefu/filter';

let filter: Filter | null = null;

export function sensitiveFilter(): Filter {
  filter ??= buildFilter(defaultLexicon(), { allow: defaultAllowList() });
  return filter;
}

export function sensitiveScan(text: string): ScanResult {
  return sensitiveFilter().scan(text);
}
