import type { Core } from './filter.ts';

export function serializeCore(_core: Core): Uint8Array {
  throw new Error('serialize: not implemented yet');
}

export function loadFilter(_bytes: Uint8Array): never {
  throw new Error('loadFilter: not implemented yet');
}
