import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/project-root';
import { FlowStore } from '../../src/services/flow-store';
import { wireExampleChannels } from '../../scripts/lib/example-channels';
import { loadExampleFlows } from '../../scripts/lib/example-flows';
import { createTwilioClient } from '../../src/activities/twilio/twilio-client';
import { type CodeBlock, readmeBlocks } from '../helpers/readme-blocks';
import { startStack, type TestStack } from '../helpers/stack';
import { testServerAddress } from '../helpers/temporal';
import { eventually } from '../helpers/wait';

const run = promisify(execFile);
/** How long one block may take: the survey script waits on a few round trips through the emulator's webhooks. */
const BLOCK_TIMEOUT_MS = 60_000;

/**
 * Shell blocks that are not run here, each for its reason. Everything else in README.md is run (or parsed), so a new
 * block is tested unless it is added here, and a block here that stops matching fails the count below.
 */
const NOT_RUN: ReadonlyArray<{ readonly first: RegExp; readonly why: string }> = [
  { first: /^npm ci && npm start/, why: 'installs and starts the whole stack on fixed ports; the other blocks run against this test’s stack instead' },
  { first: /^npm ci && npm run build/, why: 'a production build and long-running processes; the build has its own tests' },
  { first: /^unshare -n bash -c 'ip link set lo up; npm run chaos/, why: 'minutes long, and run by the chaos jest project' },
];

/** Untagged blocks are output (the banner, figures, the layout), and mermaid is a diagram: read, not run. */
const NOT_CODE = ['', 'mermaid'];

/**
 * The README's code blocks, run as a newcomer runs them, against this test's stack: the example flows loaded under
 * their SIDs, the worker on task queue `studio` as `npm start` has it, and the ports `npm start` uses (API 3000,
 * emulator 3001, Temporal 7233) replaced by the test stack's, and the project's CLI folder by the one this run's
 * Temporal server came from. Nothing else in a block is changed.
 */
describe('the README’s code blocks', () => {
  let stack: TestStack;
  let workDir: string;
  const blocks = readmeBlocks();
  const isNotRun = (block: CodeBlock) => block.lang === 'sh' && NOT_RUN.some(({ first }) => first.test(block.code));
  const runnable = blocks.filter((block) => !NOT_CODE.includes(block.lang) && !isNotRun(block));

  beforeAll(async () => {
    stack = await startStack('readme', { vars: { TEMPORAL_TASK_QUEUE: 'studio' } });
    const examples = await loadExampleFlows(new FlowStore(stack.temporal, stack.config.temporal.taskQueue));
    // The numbers the inbound examples are texted at, wired as `npm start` wires them.
    await wireExampleChannels(createTwilioClient(stack.config.twilio), stack.config, examples);
    // Under node_modules so `require('twilio')` resolves from the blocks' files as it does in the project folder.
    mkdirSync(join(PROJECT_ROOT, 'node_modules', '.cache'), { recursive: true });
    workDir = mkdtempSync(join(PROJECT_ROOT, 'node_modules', '.cache', 'readme-'));
  }, 120_000);

  afterAll(async () => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    await stack?.stop();
  });

  /** The block with `npm start`'s addresses replaced by this stack's. */
  function localised(code: string): string {
    return code
      .replaceAll('http://localhost:3000', stack.api.url)
      .replaceAll('http://localhost:3001', stack.twilioServer.url)
      .replaceAll('localhost:7233', testServerAddress())
      // The CLI the project built is where this run's Temporal server came from (TEMPORAL_CLI_PATH may name another).
      .replaceAll('$PWD/.temporal-cli/bin', dirname(process.env.TEMPORAL_TEST_CLI_PATH ?? join(PROJECT_ROOT, '.temporal-cli', 'bin', 'temporal')));
  }

  const env = () => ({
    ...process.env,
    TWILIO_ACCOUNT_SID: stack.config.twilio.accountSid,
    TWILIO_AUTH_TOKEN: stack.config.twilio.authToken,
    TEMPORAL_ADDRESS: testServerAddress(),
  });

  async function runBlock(block: CodeBlock): Promise<{ stdout: string; stderr: string }> {
    const code = localised(block.code);
    const options = { cwd: PROJECT_ROOT, env: env(), timeout: BLOCK_TIMEOUT_MS };
    switch (block.lang) {
      case 'sh':
        return run('bash', ['-e', '-o', 'pipefail', '-c', code], options);
      case 'js': {
        const file = join(workDir, `block-${block.line}.js`);
        writeFileSync(file, code);
        return run(process.execPath, [file], options);
      }
      case 'ts': {
        // Written to be saved in the project folder: its `./src/…` imports point there.
        const file = join(workDir, `block-${block.line}.ts`);
        writeFileSync(file, code.replaceAll("from './src/", `from '${PROJECT_ROOT}/src/`));
        return run(process.execPath, ['--import', 'tsx', file], options);
      }
      case 'json':
        JSON.parse(code);
        return { stdout: '', stderr: '' };
      default:
        throw new Error(`README.md line ${block.line}: no way to run a ${block.lang} block`);
    }
  }

  test('every block not run is one of the known ones, each for its reason', () => {
    expect(blocks.filter(isNotRun)).toHaveLength(NOT_RUN.length);
    expect(blocks.map((block) => block.lang).filter((lang) => !['sh', 'js', 'ts', 'json', ...NOT_CODE].includes(lang))).toEqual([]);
  });

  test.each(runnable.map((block) => [`${block.lang} block at line ${block.line}`, block] as const))(
    '%s runs as written, with no Twilio error in its output',
    async (_name, block) => {
      const { stdout, stderr } = await runBlock(block).catch((err: { code?: number; stdout?: string; stderr?: string; killed?: boolean }) => {
        throw new Error(`README.md line ${block.line} failed (exit ${err.code}${err.killed ? ', timed out' : ''}):\n${err.stderr ?? ''}\n${err.stdout ?? ''}`);
      });
      expect({ stderr: stderr.trim() }).toEqual({ stderr: '' });
      // An API or emulator error body (`{"code": 20404, … "status": 404}`) in what a command printed.
      expect(stdout).not.toMatch(/"status":\s*[45]\d\d/);
    },
    120_000,
  );

  test('the blocks did what they say: the survey ended, the client, helper and CLI each started an order-status execution, the SMS bot ended and the web chat was handed to Flex', async () => {
    const studio = stack.client.studio.v2;
    const survey = await studio.flows('FWb1927401da478020effb347cd5cb9155').executions.list();
    expect(survey.map((e) => [e.contactChannelAddress, e.status])).toEqual([['+15551230000', 'ended']]);
    // The CLI-started one is listed once its workflow has run and published its search attributes (visibility lags).
    const orders = await eventually(async () => {
      const listed = await studio.flows('FWe7f9cb9574e2e185ef4abb3a27c52918').executions.list();
      return listed.length === 3 ? listed : undefined;
    });
    expect(orders.map((e) => e.contactChannelAddress).sort()).toEqual(['+15551230000', '+15551230001', '+15551230002']);
    const smsBot = await studio.flows('FW5b0c7e2f9a4d4e8c8f3b6a1d2e7c9011').executions.list();
    expect(smsBot.map((e) => [e.contactChannelAddress, e.status])).toEqual([['+15557770001', 'ended']]);
    const [webChat] = await studio.flows('FW7d3e1a9c5b2f4a6e9c8d0b1f3a5e7022').executions.list();
    const context = (await studio.flows('FW7d3e1a9c5b2f4a6e9c8d0b1f3a5e7022').executions(webChat!.sid).executionContext().fetch()).context as { flow: { channel: { status: string } } };
    expect(context.flow.channel.status).toBe('handed_off');
  });
});
