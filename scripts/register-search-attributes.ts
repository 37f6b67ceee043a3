import { Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { registerSearchAttributes } from '../src/services/search-attribute-registration';
import { STUDIO_SEARCH_ATTRIBUTES } from '../src/workflows/contracts/search-attributes';

/**
 * `npm run temporal:search-attributes`: registers StudioFlowSid, StudioContact and ConversationSid (Keyword) on the
 * namespace the TEMPORAL_* variables name; adds only the missing ones, so it is safe to run on every deploy.
 */
async function main(): Promise<void> {
  const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
  const connection = await Connection.connect(connectionOptions);
  try {
    const added = await registerSearchAttributes(connection, namespace);
    const names = STUDIO_SEARCH_ATTRIBUTES.map((key) => key.name).join(', ');
    console.log(added.length > 0 ? `namespace ${namespace}: added ${added.join(', ')}` : `namespace ${namespace}: ${names} already registered`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(`temporal:search-attributes: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
