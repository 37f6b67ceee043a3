import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { STUDIO_SEARCH_ATTRIBUTES } from './search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;

/**
 * Registers the product's search attributes on `namespace`, adding only the missing ones, so it is safe on
 * every start. Returns the names it added.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = { ...existing.systemAttributes, ...existing.customAttributes };
  const missing = STUDIO_SEARCH_ATTRIBUTES.filter((key) => !(key.name in known));
  for (const key of STUDIO_SEARCH_ATTRIBUTES) {
    const type = known[key.name];
    if (type !== undefined && type !== IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD) {
      throw new Error(`Search attribute ${key.name} exists on namespace ${namespace} with a type other than Keyword`);
    }
  }
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
  });
  return missing.map((key) => key.name);
}
