import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { STUDIO_SEARCH_ATTRIBUTES } from '../workflows/contracts/search-attributes';

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
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
  } catch (err) {
    throw refusalExplained(err, namespace);
  }
  return missing.map((key) => key.name);
}

/**
 * PERMISSION_DENIED (7) or UNIMPLEMENTED (12): Temporal Cloud manages search attributes outside the operator API, so
 * the error says where to add them instead.
 */
function refusalExplained(err: unknown, namespace: string): unknown {
  const code = (err as { code?: number }).code;
  if (code !== 7 && code !== 12) return err;
  const flags = STUDIO_SEARCH_ATTRIBUTES.map((key) => `--search-attribute ${key.name}=Keyword`).join(' ');
  return new Error(
    `the server refused to add search attributes (${(err as Error).message}). On Temporal Cloud add them in the Cloud UI ` +
      `(Namespaces → ${namespace} → Custom search attributes) or with: tcld namespace search-attributes add --namespace ${namespace} ${flags}`,
    { cause: err },
  );
}
