/** Distinct contact numbers for one suite: `block` plus a 4-digit counter, so suites never share a contact. */
export function contactNumbers(block: string): () => string {
  let count = 0;
  return () => `${block}${String(++count).padStart(4, '0')}`;
}
