import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { writeHistoryFile } from './lib/history-files';

/**
 * `npm run history:record -- <workflowId> <out.json>`: saves a workflow's history as JSON for
 * the replay tests (test/fixtures/histories). Connects like every other process (TEMPORAL_ADDRESS, …).
 */
async function main([workflowId, out]: string[]): Promise<void> {
  if (!workflowId || !out) throw new Error('usage: record-history.ts <workflowId> <out.json>');
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const connection = await Connection.connect(connectionOptions);
  try {
    const client = new Client({ connection, namespace });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    writeHistoryFile(out, { workflowId, history });
    console.log(`${out}: ${history.events?.length ?? 0} events of ${workflowId}`);
  } finally {
    await connection.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(String(err));
  process.exit(1);
});
