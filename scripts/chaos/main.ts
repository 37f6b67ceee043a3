/**
 * `npm run chaos` (full, minutes to tens of minutes) and `npm run chaos -- --short` (about two minutes; CI runs it
 * through test/chaos/chaos.test.ts): a reproducible fault suite against the product's real processes, printing
 * one table. Options: `--seed N` (jitter and fuzz seed; default 11), `--json FILE` (the rows as JSON),
 * `--only a,b` (row keys: starts, fuzz, redelivery, faults, kill-starts, kill-replies, restart, outage, hostile).
 *
 * The stack: the Temporal dev server from the project's CLI on a SQLite file (state survives its restarts), the
 * Twilio emulator process, the worker process (prebuilt bundle) and the API process, all on 127.0.0.1 only. Run it
 * in a network namespace of its own: `unshare -n bash -c 'ip link set lo up; npm run chaos'`.
 *
 * Rows: 20 concurrent starts per contact; fuzzed requests on every route; webhook redeliveries; emulator faults
 * and delays on every Twilio call the worker makes; worker kill -9 storms during starts and during replies;
 * Temporal server down a few seconds and about 30 s; hostile flow code. Every loop is bounded in count and time.
 *
 * Columns, per row:
 * - tried: executions started (or start attempts), contact bursts (concurrent starts) or requests (fuzz).
 * - ended correctly: tries whose outcome is the right one: the execution ended (Temporal closed it, the API says
 *   `ended`) on its expected path, took every reply its contact sent, created each conversation, participant,
 *   webhook, message and interaction once and left no webhook behind; for concurrent starts, exactly one 201 and
 *   nineteen 409/20409 and the winner ends on Status=ended; for hostile flows, the execution ended by itself with
 *   `flow.error`; for fuzz, an answer within 10 s that is a 2xx or a 4xx with Twilio's error body (and a signed
 *   webhook to an ID that is no execution is not "delivered").
 * - lost: replies the contact sent (created in the emulator while the execution waited for one, delivered by the
 *   emulator's webhook with Twilio's retries) that the execution never took, whether the API answered the webhook
 *   2xx or every delivery attempt failed.
 * - duplicated: each extra copy, in the emulator's store read through its admin API, of a conversation,
 *   participant, prompt, message, SMS or Flex interaction an execution created; each extra webhook registered for
 *   one conversation (seen as one reply delivered to two webhooks); one reply taken by two widgets; each extra 201
 *   among concurrent starts for one contact.
 * - stuck: executions still running (Temporal) after their flow should have ended: a bound after the last reply
 *   (or after Status=ended, or after a hostile execution started); for fuzz, requests not answered within 10 s.
 * - 5xx: API answers with a 5xx status, or none within the deadline (30 s for the harness's own calls, 5 s for
 *   webhooks as Twilio), counted over the harness's requests and the emulator's webhook deliveries; in the two
 *   Temporal-down rows a 503 within 5 s is the documented answer and not counted.
 * - worker crashes: worker processes that exited without the harness killing them (each is restarted, as a
 *   process manager would, at most 60 times).
 * Executions a row leaves running are terminated through Temporal afterwards, so one row never loads the next.
 * Exit code: 0 when every row meets the target (all tries ended correctly and 0 in lost, duplicated, stuck, 5xx
 * and worker crashes), 1 when a row misses it, 2 when the harness itself failed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishFlow, startExecution, terminateRunning, waitForPrompts } from './executions';
import { flexFlow, replyFlow, smsFlow, twoReplyFlow } from './flows';
import { failed, newRow, type Row, renderNotes, renderTable } from './measure';
import { seedRandom } from './random';
import { concurrentStarts } from './scenarios/concurrent-starts';
import { CREATE_ROUTES, emulatorFaults, type FaultGroup, faultKinds, OTHER_ROUTES } from './scenarios/emulator-faults';
import { fuzzRoutes } from './scenarios/fuzz';
import { hostileFlows } from './scenarios/hostile-flows';
import { temporalRestart } from './scenarios/temporal-restarts';
import { webhookRedelivery } from './scenarios/webhook-redelivery';
import { killsDuringReplies, killsDuringStarts } from './scenarios/worker-kills';
import { TWILIO_REQUEST_TIMEOUT_MS } from '../../src/workflows/contracts/twilio-timeouts';
import { ChaosStack, sleep } from './stack';

interface Options {
  readonly short: boolean;
  readonly seed: number;
  readonly json?: string;
  readonly only?: readonly string[];
}

/** The sizes of both forms; the short one is what CI runs. */
function sizes(short: boolean) {
  const settleMs = short ? 45_000 : 150_000;
  // A worker killed after sending a create that never reached Twilio is retried after the heartbeat timeout, and the
  // retry waits until that request is TWILIO_REQUEST_TIMEOUT_MS old before it makes the message (no duplicates): a
  // prompt can come that late by design, so the kill rows wait past it.
  const killSettleMs = Math.max(settleMs, TWILIO_REQUEST_TIMEOUT_MS + 30_000);
  return {
    settleMs,
    contacts: short ? 2 : 10,
    fuzzRuns: short ? 300 : 1_500,
    redelivery: { executions: short ? 2 : 5, redeliveries: short ? 4 : 8, settleMs },
    faultGroups: short
      ? [{ routes: CREATE_ROUTES, kinds: faultKinds([7_000], false) }]
      : CREATE_ROUTES.map(({ route, kind }): FaultGroup => ({
          routes: [{ route, kind }, ...OTHER_ROUTES.filter((o) => o.route.split('.')[0] === route.split('.')[0] && o.route !== 'webhooks.delete')],
          kinds: faultKinds([4_000, 7_000, 15_000, 60_000], true),
        })).concat([{ routes: OTHER_ROUTES.filter((o) => o.route === 'webhooks.delete'), kinds: faultKinds([4_000, 15_000], true) }]),
    killStarts: { executions: short ? 6 : 24, kills: short ? 3 : 12, settleMs: killSettleMs },
    killReplies: { executions: short ? 6 : 24, kills: short ? 3 : 12, settleMs: killSettleMs },
    restart: { executions: short ? 3 : 6, downMs: 3_000, settleMs },
    outage: short ? undefined : { executions: 6, downMs: 30_000, settleMs },
    hostileSettleMs: short ? 30_000 : 90_000,
  };
}

async function main(options: Options): Promise<number> {
  await assertLoopback();
  seedRandom(options.seed);
  const size = sizes(options.short);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const workDir = mkdtempSync(join(tmpdir(), 'studio-chaos-'));
  const started = Date.now();
  log(`chaos (${options.short ? 'short' : 'full'}, seed ${options.seed}): starting Temporal, the emulator, the worker and the API…`);
  const stack = await ChaosStack.start(workDir, log);
  // Stopped from outside (Ctrl-C, a CI timeout): take the processes it started down with it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the stack`);
      void stack.stop().finally(() => {
        rmSync(workDir, { recursive: true, force: true });
        process.exit(2);
      });
    });
  }
  const rows: Row[] = [];
  const want = (key: string) => !options.only || options.only.includes(key);
  const run = async (key: string, play: () => Promise<Row>) => {
    if (!want(key)) return;
    const t0 = Date.now();
    log(`row ${key}…`);
    const row = await play().catch((err: unknown): Row => {
      const broken = newRow(`${key} (harness error)`);
      broken.notes.push(`the harness failed: ${err instanceof Error ? err.stack : String(err)}`);
      broken.tried = 1;
      return broken;
    });
    rows.push(row);
    log(`  ${row.name}: tried ${row.tried}, ok ${row.endedCorrectly}, lost ${row.lost}, dup ${row.duplicated}, stuck ${row.stuck}, 5xx ${row.http5xx}, crashes ${row.workerCrashes} (${Math.round((Date.now() - t0) / 1000)} s)`);
  };
  try {
    const flows = {
      reply: await publishFlow(stack, 'chaos reply', replyFlow()),
      'two-replies': await publishFlow(stack, 'chaos two replies', twoReplyFlow()),
      sms: await publishFlow(stack, 'chaos sms', smsFlow()),
      flex: await publishFlow(stack, 'chaos flex', flexFlow()),
    };
    await run('starts', () => concurrentStarts(stack, flows.reply, size.contacts));
    await run('fuzz', async () => {
      const targets = await fuzzTargets(stack, flows.reply);
      try {
        return await fuzzRoutes(stack, targets, size.fuzzRuns, options.seed);
      } finally {
        await terminateRunning(stack, [{ sid: targets.executionSid }]);
      }
    });
    await run('redelivery', () => webhookRedelivery(stack, flows['two-replies'], size.redelivery));
    await run('faults', () => emulatorFaults(stack, flows, size.faultGroups, size.settleMs, `emulator faults and delays (${options.short ? 'create calls, 500 / commit-then-fail / 7 s' : 'every call, every kind, 4–60 s'})`));
    await run('kill-starts', () => killsDuringStarts(stack, flows.reply, size.killStarts));
    await run('kill-replies', () => killsDuringReplies(stack, flows.reply, size.killReplies));
    await run('restart', () => temporalRestart(stack, flows.reply, size.restart));
    if (size.outage) {
      const outage = size.outage;
      await run('outage', () => temporalRestart(stack, flows.reply, outage));
    }
    // Last: a hostile execution may keep the worker crashing until the harness terminates it.
    await run('hostile', () => hostileFlows(stack, size.hostileSettleMs));
  } finally {
    await stack.stop().catch((err: unknown) => log(`stopping the stack: ${String(err)}`));
    rmSync(workDir, { recursive: true, force: true });
  }
  process.stdout.write(`\n${renderTable(rows)}\n\n${renderNotes(rows)}\n\n`);
  process.stdout.write(`${options.short ? 'short' : 'full'} run, seed ${options.seed}, ${Math.round((Date.now() - started) / 1000)} s\n`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify({ short: options.short, seed: options.seed, rows }, null, 2)}\n`);
  return rows.some(failed) ? 1 : 0;
}

/**
 * A reply flow's execution with a step and an active contact lock, so fuzzed requests also use real SIDs. It
 * waits for a reply until the fuzz row is over.
 */
async function fuzzTargets(stack: ChaosStack, flowSid: string) {
  const scratch = newRow('fuzz targets');
  const execution = await startExecution(stack, scratch, flowSid, 'reply', `fuzz-${Date.now().toString(36)}`);
  if (!execution) throw new Error(`could not start the fuzz target execution: ${scratch.notes.join('; ')}`);
  await waitForPrompts(stack, [execution], 1, 30_000);
  let stepSid = `FT${'0'.repeat(32)}`;
  for (let i = 0; i < 20 && stepSid.endsWith('0'.repeat(32)); i += 1) {
    const steps = await stack.api('GET', `/v2/Flows/${flowSid}/Executions/${execution.sid}/Steps`);
    stepSid = (steps.body as { steps?: Array<{ sid: string }> } | undefined)?.steps?.[0]?.sid ?? stepSid;
    if (stepSid.endsWith('0'.repeat(32))) await sleep(250);
  }
  return { flowSid, executionSid: execution.sid, stepSid, contact: execution.contact };
}

/**
 * The suite talks to 127.0.0.1 only; in a fresh network namespace the loopback device starts down, where a bind
 * still works but every connect fails, so the probe connects to itself.
 */
async function assertLoopback(): Promise<void> {
  const unusable = new Error("127.0.0.1 is not usable: in a new network namespace run 'ip link set lo up' first");
  await new Promise<void>((resolve, reject) => {
    const probe = createServer((socket) => socket.destroy());
    probe.once('error', () => reject(unusable));
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      const client = connect(port, '127.0.0.1', () => {
        client.destroy();
        probe.close(() => resolve());
      });
      client.once('error', () => probe.close(() => reject(unusable)));
    });
  });
}

function parseOptions(argv: readonly string[]): Options {
  const valueOf = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seed = Number(valueOf('--seed') ?? 11);
  if (!Number.isInteger(seed)) throw new Error('--seed takes an integer');
  return { short: argv.includes('--short'), seed, json: valueOf('--json'), only: valueOf('--only')?.split(',') };
}

main(parseOptions(process.argv.slice(2)))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    process.stderr.write(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  });
