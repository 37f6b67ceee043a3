import { createLogger } from '../../../src/logger';
import { logSdkEntry } from '../../../src/telemetry';

function capture(level: 'info' | 'debug' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('worker', { level, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const FN = `FN${'1'.repeat(32)}`;
const FT = `FT${'2'.repeat(32)}`;
const FW = `FW${'3'.repeat(32)}`;

describe('structured logs', () => {
  test('each line is one JSON object with level, ISO time, component, message and fields', () => {
    const { logger, lines } = capture();
    logger.info('execution ended', { executionSid: FN, steps: 4 });
    expect(lines).toEqual([{ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), component: 'worker', msg: 'execution ended', executionSid: FN, steps: 4 }]);
  });

  test('a child logger puts its fields on every line; lines below the level are dropped', () => {
    const { logger, lines } = capture();
    const forExecution = logger.child({ executionSid: FN });
    forExecution.debug('not written');
    forExecution.warn('reply ignored', { messageSid: 'IM1' });
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', executionSid: FN, messageSid: 'IM1', msg: 'reply ignored' })]);
  });

  test.each([
    ['an execution workflow', FN, { executionSid: FN }],
    ['a subflow (its root execution)', `${FN}/${FT}`, { executionSid: FN }],
    ['a flow workflow', FW, { flowSid: FW }],
    ['a flow revision workflow', `${FW}/revisions/3`, { flowSid: FW }],
  ])('an SDK line from %s carries its SID', (_what, workflowId, expected) => {
    const { logger, lines } = capture();
    logSdkEntry(logger, { level: 'INFO', message: 'execution ended', timestampNanos: 0n, meta: { sdkComponent: 'workflow', workflowId, runId: 'r1', workflowType: 'executionWorkflow' } });
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'execution ended', sdk: 'workflow', workflowId, ...expected });
  });

  test('an SDK line about no workflow (a worker state change) is written as it is', () => {
    const { logger, lines } = capture();
    logSdkEntry(logger, { level: 'WARN', message: 'Worker state changed', timestampNanos: 0n, meta: { sdkComponent: 'worker', state: 'DRAINING' } });
    expect(lines[0]).toMatchObject({ level: 'warn', sdk: 'worker', state: 'DRAINING' });
    expect(lines[0]).not.toHaveProperty('executionSid');
  });
});
