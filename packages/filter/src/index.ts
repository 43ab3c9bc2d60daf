export type { Level, LexiconEntry, Hit, ScanResult, FilterOptions, Edit } from './types.ts';
export { buildFilter, type Filter, type ScanState, type ResolvedOptions } from './filter.ts';
export { loadFilter } from './serialize.ts';
export { parseLexicon, type ParseOptions, type ParseError } from './lexicon.ts';
export { defaultLexicon, defaultAllowList } from './default-lexicon.ts';
export { applyEdit } from './incremental.ts';
