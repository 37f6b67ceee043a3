import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { temporal as proto } from '@temporalio/proto';
import type twilio from 'twilio';
import { contactNumbers } from '../helpers/contacts';
import { exampleFlow, publish } from '../helpers/flows';
import { startStack, type TestStack } from '../helpers/stack';
import { testServerAddress } from '../helpers/temporal';
import { eventually } from '../helpers/wait';

const run = promisify(execFile);
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The README's `temporal workflow list --query "…"` examples, as written. */
const allReadmeQueries = [...README.matchAll(/^temporal workflow list --query "(.+)"$/gm)].map((match) => match[1]!);
/** Those on the product's search attributes (finding one execution)... */
const readmeQueries = allReadmeQueries.filter((query) => !query.startsWith('WorkflowType'));
/** ...and those listing one kind of workflow apart from the others (executions, flows and revisions, locks). */
const kindQueries = allReadmeQueries.filter((query) => query.startsWith('WorkflowType'));

/** Runs one README query with the CLI the test server came from, against that server; returns the workflow IDs. */
async function listWithCli(query: string): Promise<string[]> {
  const cli = process.env.TEMPORAL_TEST_CLI_PATH;
  if (!cli) throw new Error('TEMPORAL_TEST_CLI_PATH is not set (test/global-setup.ts sets it)');
  const { stdout } = await run(cli, ['workflow', 'list', '--query', query, '--address', testServerAddress(), '--namespace', 'default', '--output', 'json']);
  return (JSON.parse(stdout || '[]') as { execution: { workflowId: string } }[]).map((workflow) => workflow.execution.workflowId);
}

/** An execution as a newcomer looks for it: by flow, contact or conversation, with the README's own commands. */
describe('finding an execution in Temporal', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  const nextContact = contactNumbers('+1555800');

  beforeAll(async () => {
    stack = await startStack('find-executions');
    studio = stack.client.studio.v2;
  });

  afterAll(() => stack?.stop());

  test('the README has one query per search attribute', () => {
    expect(readmeQueries.map((query) => /^(\w+)=/.exec(query)?.[1])).toEqual(['StudioFlowSid', 'StudioContact', 'ConversationSid']);
  });

  test('the README queries find a running execution by its flow, its contact and its conversation', async () => {
    const flowSid = await publish(studio, exampleFlow('conversation-survey.json'), 'Survey');
    const contact = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to: contact, from: '+15559990000', parameters: { name: 'Ada' } });
    const conversation = await stack.conversationOf(sid);

    for (const written of readmeQueries) {
      const query = written
        .replace(/FW[0-9a-f]{32}/, flowSid)
        .replace(/CH[0-9a-f]{32}/, conversation.sid)
        .replace(/\+1555\d{7}/, contact);
      // Visibility is eventually consistent, and ConversationSid is upserted once the conversation exists.
      await eventually(async () => ((await listWithCli(query)).includes(sid) ? true : undefined), 10_000, 250);
      expect(await listWithCli(query)).toEqual([sid]);
    }
  });

  test('the README\'s WorkflowType queries list executions, flows and contact locks apart', async () => {
    expect(kindQueries).toHaveLength(3);
    const flowSid = await publish(studio, exampleFlow('conversation-survey.json'), 'Survey kinds');
    const contact = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to: contact, from: '+15559990000', parameters: { name: 'Ada' } });
    await stack.conversationOf(sid);
    const [executions, flows, locks] = kindQueries;
    await eventually(async () => ((await listWithCli(executions!)).includes(sid) ? true : undefined), 10_000, 250);
    const listed = { executions: await listWithCli(executions!), flows: await listWithCli(flows!), locks: await listWithCli(locks!) };
    expect(listed.executions.every((id) => /^FN[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(listed.flows).toContain(flowSid);
    expect(listed.flows.some((id) => id.startsWith('FN'))).toBe(false);
    expect(listed.locks.some((id) => id.startsWith(`${flowSid}/`))).toBe(true);
    expect(listed.locks.some((id) => id.startsWith('FN'))).toBe(false);
  });

  test('the execution names its flow, revision and contact in its summary and memo, and its timeline names each widget', async () => {
    const flowSid = await publish(studio, exampleFlow('conversation-survey.json'), 'Customer survey');
    const contact = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to: contact, from: '+15559990000', parameters: { name: 'Ada' } });
    const conversation = await stack.conversationOf(sid);
    await eventually(async () => (conversation.messages.length > 0 ? true : undefined));

    const handle = stack.temporal.workflow.getHandle(sid);
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(`Customer survey (revision 1) for ${contact}`);
    expect(description.memo).toMatchObject({ execution: { flow_sid: flowSid, flow_name: 'Customer survey', flow_version: 1, contact_channel_address: contact } });

    const summaries = await eventually(async () => {
      const found = await timelineSummaries(sid);
      return found.some((line) => line.includes('wait up to')) ? found : undefined;
    });
    expect(summaries).toEqual([
      'ACTIVITY_TASK_SCHEDULED start_conversation (start-conversation): create conversation',
      `ACTIVITY_TASK_SCHEDULED start_conversation (start-conversation): add ${contact} to ${conversation.sid}`,
      `ACTIVITY_TASK_SCHEDULED start_conversation (start-conversation): add onMessageAdded webhook to ${conversation.sid}`,
      `ACTIVITY_TASK_SCHEDULED ask_rating (send-and-wait-for-reply): send message into ${conversation.sid}`,
      'TIMER_STARTED ask_rating (send-and-wait-for-reply): wait up to 3600 s for a reply',
    ]);
  });

  /** Each activity, timer and child of the execution's history with the summary the Temporal UI shows for it. */
  async function timelineSummaries(workflowId: string): Promise<string[]> {
    const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? [])
      .filter((event) => event.userMetadata?.summary?.data && event.eventType !== proto.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
      .map((event) => {
        const type = String(proto.api.enums.v1.EventType[event.eventType ?? 0]).replace('EVENT_TYPE_', '');
        return `${type} ${JSON.parse(Buffer.from(event.userMetadata!.summary!.data!).toString('utf8')) as string}`;
      });
  }
});
