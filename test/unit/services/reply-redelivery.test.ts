import { ServiceError } from '@temporalio/client';
import type { InboundMessage } from '../../../src/flow/effects';
import type { Logger } from '../../../src/logger';
import type { ReplyDelivery } from '../../../src/services/reply-delivery';
import { type RedeliveryOptions, ReplyRedelivery } from '../../../src/services/reply-redelivery';
import { recordingMeter } from '../../helpers/metrics';

/** A gRPC failure as the client wraps it (code 14 UNAVAILABLE: the server is down; 3 INVALID_ARGUMENT: refused). */
function grpcFailure(code: number): ServiceError {
  const cause = Object.assign(new Error(`status ${code}`), { code, details: `status ${code}`, metadata: {} });
  return new ServiceError('Failed to signal Workflow', { cause });
}

const reply = (n: number): InboundMessage => ({
  MessageSid: `IM${String(n).padStart(32, '0')}`,
  ConversationSid: `CH${'0'.repeat(32)}`,
  Body: `answer ${n}`,
  Author: '+15551230000',
  ParticipantSid: '',
  Index: String(n),
  Attributes: '{}',
  DateCreated: '',
  Source: 'SMS',
});

const FAST: RedeliveryOptions = { maxEntries: 10, maxAgeMs: 60_000, initialBackoffMs: 5, maxBackoffMs: 20 };

function harness(outcomes: (() => ReplyDelivery | Error)[], options: Partial<RedeliveryOptions> = {}) {
  const meter = recordingMeter();
  const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (message, fields) => void warnings.push({ message, fields }),
    error: () => undefined,
    child: () => logger,
  };
  const tries: string[] = [];
  let next = 0;
  const deliver = async (executionSid: string, message: InboundMessage): Promise<ReplyDelivery> => {
    tries.push(message.MessageSid);
    const outcome = (outcomes[Math.min(next++, outcomes.length - 1)] ?? (() => 'delivered'))();
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  const queue = new ReplyRedelivery(deliver, logger, meter, { ...FAST, ...options });
  const settled = () => until(() => queue.size === 0);
  return { queue, meter, warnings, tries, settled };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 2));
  }
}

const unavailable = () => grpcFailure(14);
const delivered = (): ReplyDelivery => 'delivered';

describe('ReplyRedelivery', () => {
  test('when Temporal refuses a reply twice as unavailable, then it is retried and delivered once', async () => {
    const { queue, meter, tries, settled } = harness([unavailable, unavailable, delivered]);

    queue.add('FN1', reply(1));
    await settled();

    expect(tries).toEqual([reply(1).MessageSid, reply(1).MessageSid, reply(1).MessageSid]);
    expect(meter.total('studio_reply_redeliveries', ['outcome', 'delivered'])).toBe(1);
    expect(meter.lastValue('studio_reply_redelivery_queue')).toBe(0);
  });

  test('when the same reply is refused again (Twilio retried), then it is kept and delivered once', async () => {
    const { queue, tries, settled } = harness([delivered]);

    queue.add('FN1', reply(1));
    queue.add('FN1', reply(1));
    await settled();

    expect(tries).toEqual([reply(1).MessageSid]);
  });

  test('replies are delivered oldest first', async () => {
    const { queue, tries, settled } = harness([unavailable, delivered]);

    queue.add('FN1', reply(1));
    queue.add('FN2', reply(2));
    queue.add('FN1', reply(3));
    await settled();

    expect(tries).toEqual([reply(1), reply(1), reply(2), reply(3)].map((m) => m.MessageSid));
  });

  test('when the queue is full, then the oldest reply is dropped, counted and logged', async () => {
    const { queue, meter, warnings } = harness([unavailable], { maxEntries: 2, initialBackoffMs: 60_000 });

    queue.add('FN1', reply(1));
    queue.add('FN2', reply(2));
    queue.add('FN3', reply(3));

    expect(queue.size).toBe(2);
    expect(meter.total('studio_reply_redeliveries', ['outcome', 'dropped_full'])).toBe(1);
    expect(warnings).toEqual([expect.objectContaining({ fields: expect.objectContaining({ executionSid: 'FN1', messageSid: reply(1).MessageSid, outcome: 'dropped_full' }) })]);
    await queue.stop();
  });

  test('when a reply outlives its age while Temporal stays away, then it is dropped, counted and logged', async () => {
    const { queue, meter, warnings, settled } = harness([unavailable], { maxAgeMs: 30 });

    queue.add('FN1', reply(1));
    await settled();

    expect(meter.total('studio_reply_redeliveries', ['outcome', 'dropped_expired'])).toBe(1);
    expect(warnings.map((w) => w.fields?.outcome)).toEqual(['dropped_expired']);
  });

  test('when Temporal refuses a reply for good, then it is dropped at once, counted and logged', async () => {
    const { queue, meter, tries, settled } = harness([() => grpcFailure(3)]);

    queue.add('FN1', reply(1));
    await settled();

    expect(tries).toHaveLength(1);
    expect(meter.total('studio_reply_redeliveries', ['outcome', 'dropped_refused'])).toBe(1);
  });

  test('when the execution is gone, then the reply is counted as ignored, not dropped', async () => {
    const { queue, meter, warnings, settled } = harness([() => 'no_execution']);

    queue.add('FN1', reply(1));
    await settled();

    expect(meter.total('studio_reply_redeliveries', ['outcome', 'ignored_no_execution'])).toBe(1);
    expect(warnings).toEqual([]);
  });

  test('when the API stops, then what is still held is dropped, counted and logged, and nothing more is tried', async () => {
    const { queue, meter, tries } = harness([unavailable], { initialBackoffMs: 60_000 });
    queue.add('FN1', reply(1));
    queue.add('FN2', reply(2));

    expect(await queue.stop()).toBe(2);
    queue.add('FN3', reply(3));

    expect(queue.size).toBe(0);
    expect(tries).toEqual([]);
    expect(meter.total('studio_reply_redeliveries', ['outcome', 'dropped_shutdown'])).toBe(2);
  });

  test('when Temporal answers again (resume), then kept replies are tried at once rather than after the backoff', async () => {
    const { queue, tries, settled } = harness([delivered], { initialBackoffMs: 60_000 });
    queue.add('FN1', reply(1));

    queue.resume();
    await settled();

    expect(tries).toEqual([reply(1).MessageSid]);
  });
});
