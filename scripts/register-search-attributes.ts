import { Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { registerSearchAttributes } from '../src/temporal/register-search-attributes';
import { STUDIO_SEARCH_ATTRIBUTES } from '../src/temporal/search-attributes';

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
  } catch (err) {
    const code = (err as { code?: number }).code;
    // PERMISSION_DENIED (7) or UNIMPLEMENTED (12): Temporal Cloud manages search attributes outside the operator API.
    if (code === 7 || code === 12) {
      const flags = STUDIO_SEARCH_ATTRIBUTES.map((key) => `--search-attribute ${key.name}=Keyword`).join(' ');
      throw new Error(
        `the server refused to add search attributes (${(err as Error).message}). On Temporal Cloud add them in the Cloud UI ` +
          `(Namespaces → ${namespace} → Custom search attributes) or with: tcld namespace search-attributes add --namespace ${namespace} ${flags}`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(`temporal:search-attributes: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
