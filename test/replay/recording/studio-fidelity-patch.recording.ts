import { join } from 'node:path';
import type twilio from 'twilio';
import { writeHistoryFile } from '../../../scripts/lib/history-files';
import { contactNumbers } from '../../helpers/contacts';
import { publish, restFlow, waitUntilEnded } from '../../helpers/flows';
import { startStack, type TestStack } from '../../helpers/stack';

/**
 * `STUDIO_FIDELITY_FIXTURE=before-patch npm run history:rerecord -- studio-fidelity`: records the fixture of the
 * `studio-fidelity` patch test (test/replay/studio-fidelity-patch.test.ts) with the code checked out: a split on
 * ` YES ` against `equal_to yes` that sends a message on match. Code before the patch compared case-sensitively and
 * sent nothing; code after it matches and sends.
 */
const FIXTURE = process.env.STUDIO_FIDELITY_FIXTURE;
const maybe = FIXTURE ? describe : describe.skip;

maybe('recording the studio-fidelity patch fixture', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];

  beforeAll(async () => {
    stack = await startStack('recording-fidelity');
    studio = stack.client.studio.v2;
  });

  afterAll(() => stack?.stop());

  test('a split on " YES " against equal_to "yes", sending on match', async () => {
    const flow = restFlow(
      {
        name: 'check',
        type: 'split-based-on',
        transitions: [{ event: 'noMatch' }, { event: 'match', next: 'yes', conditions: [{ friendly_name: 'yes', arguments: ['{{flow.data.answer}}'], type: 'equal_to', value: 'yes' }] }],
        properties: { input: '{{flow.data.answer}}' },
      },
      { name: 'yes', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Confirmed', from: '+15559990000', to: '{{contact.channel.address}}' } },
    );
    const flowSid = await publish(studio, flow, 'studio fidelity');
    const { sid } = await studio.flows(flowSid).executions.create({ to: contactNumbers('+1555710')(), from: '+15559990000', parameters: { answer: ' YES ' } });
    await waitUntilEnded(studio, flowSid, sid);
    const history = await stack.temporal.workflow.getHandle(sid).fetchHistory();
    const file = join(__dirname, '..', '..', 'fixtures', 'histories', 'patches', 'studio-fidelity', `${FIXTURE}.json`);
    writeHistoryFile(file, { workflowId: sid, history });
    process.stdout.write(`${file}: ${history.events?.length ?? 0} events\n`);
  });
});
