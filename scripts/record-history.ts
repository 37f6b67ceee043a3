import { writeFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { loadClientConnectConfig } from '@temporalio/envconfig';

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
    // The workflow ID travels with the history: replaying a workflow that starts children needs the real one.
    writeFileSync(out, `${JSON.stringify({ workflowId, history: JSON.parse(historyToJSON(history)) }, null, 1)}\n`);
    console.log(`${out}: ${history.events?.length ?? 0} events of ${workflowId}`);
  } finally {
    await connection.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(String(err));
  process.exit(1);
});
