/**
 * A client message id: random, URL-safe, matching the API's pattern. `crypto.randomUUID` exists
 * only in secure contexts, and Kefu may be served over plain HTTP on a LAN, so fall back to
 * `getRandomValues`, which exists everywhere.
 */
export function newClientMessageId(prefix = 'w'): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return `${prefix}-${hex}`;
}
