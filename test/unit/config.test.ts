import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, DEFAULT_MAX_CACHED_WORKFLOWS } from '../../src/config';

const required = { TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'token' };

/** What loadConfig refuses in `env` (the Twilio credentials included unless `base` says otherwise). */
function problemsOf(env: Record<string, string>, base: Record<string, string> = required): readonly string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('with only the Twilio credentials, every other setting has its documented default', () => {
    const config = loadConfig(required);
    expect(config.port).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.logLevel).toBe('info');
    expect(config.metricsPort).toBeUndefined();
    expect(config.temporal.taskQueue).toBe('studio');
    expect(config.temporal.namespace).toBe('default');
    expect(config.worker).toEqual({ shutdownGraceSeconds: 10, maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS, workflowStackTraces: false });
    expect(config.apiShutdownTimeoutSeconds).toBe(30);
    expect(config.studioTimezone).toBe('America/Los_Angeles'); // Studio's own zone for Liquid dates
  });

  test('STUDIO_TIMEZONE takes an IANA zone name and refuses anything else, naming the variable', () => {
    expect(loadConfig({ ...required, STUDIO_TIMEZONE: 'Europe/Berlin' }).studioTimezone).toBe('Europe/Berlin');
    expect(loadConfig({ ...required, STUDIO_TIMEZONE: 'UTC' }).studioTimezone).toBe('UTC');
    expect(problemsOf({ STUDIO_TIMEZONE: 'Pacific' })).toEqual(['STUDIO_TIMEZONE: must be an IANA time zone name, e.g. America/Los_Angeles or UTC']);
    expect(problemsOf({ STUDIO_TIMEZONE: '+02:00' })).toEqual(['STUDIO_TIMEZONE: must be an IANA time zone name, e.g. America/Los_Angeles or UTC']);
  });

  test('TEMPORAL_UI_URL, where the console links executions, defaults to the dev server UI and takes only http(s) URLs', () => {
    expect(loadConfig(required).temporalUiUrl).toBe('http://localhost:8233');
    expect(loadConfig({ ...required, TEMPORAL_UI_URL: 'https://cloud.temporal.io/' }).temporalUiUrl).toBe('https://cloud.temporal.io');
    expect(problemsOf({ TEMPORAL_UI_URL: 'localhost:8233' })).toEqual(['TEMPORAL_UI_URL: must be an http:// or https:// URL']);
  });

  test('without credentials, the message names both variables', () => {
    expect(problemsOf({}, {})).toEqual(['TWILIO_ACCOUNT_SID: is required but not set', 'TWILIO_AUTH_TOKEN: is required but not set']);
  });

  test('worker limits, metrics port, log level and shutdown times are read from their variables', () => {
    const config = loadConfig({
      ...required,
      TEMPORAL_TASK_QUEUE: 'studio-eu',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '20',
      WORKER_MAX_CONCURRENT_ACTIVITIES: '50',
      WORKER_MAX_CACHED_WORKFLOWS: '400',
      WORKER_SHUTDOWN_GRACE_SECONDS: '25',
      API_SHUTDOWN_TIMEOUT_SECONDS: '5',
      WORKFLOW_BUNDLE_PATH: '/srv/workflow-bundle.js',
      WORKFLOW_STACK_TRACES: 'true',
      METRICS_PORT: '9464',
      LOG_LEVEL: 'debug',
    });
    expect(config.temporal.taskQueue).toBe('studio-eu');
    expect(config.worker).toEqual({
      maxConcurrentWorkflowTaskExecutions: 20,
      maxConcurrentActivityTaskExecutions: 50,
      maxCachedWorkflows: 400,
      shutdownGraceSeconds: 25,
      bundlePath: '/srv/workflow-bundle.js',
      workflowStackTraces: true,
    });
    expect(config.apiShutdownTimeoutSeconds).toBe(5);
    expect(config.metricsPort).toBe(9464);
    expect(config.logLevel).toBe('debug');
  });

  test.each([
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL: must be one of trace, debug, info, warn, error'],
    [{ METRICS_PORT: 'prometheus' }, 'METRICS_PORT: must be a number'],
    [{ WORKER_MAX_CONCURRENT_ACTIVITIES: '0' }, 'WORKER_MAX_CONCURRENT_ACTIVITIES: must be at least 1'],
    [{ WORKER_MAX_CACHED_WORKFLOWS: '2.5' }, 'WORKER_MAX_CACHED_WORKFLOWS: must be an integer'],
    [{ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '50', WORKER_MAX_CACHED_WORKFLOWS: '10' }, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: must not exceed WORKER_MAX_CACHED_WORKFLOWS'],
    [{ TEMPORAL_ADDRESS: 'https://temporal:7233' }, 'TEMPORAL_ADDRESS: must be host:port, e.g. localhost:7233'],
    [{ TEMPORAL_TLS: 'yes' }, 'TEMPORAL_TLS: must be one of 1, 0, true, false'],
  ])('%j is refused: %s', (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  test('Temporal Cloud: address, namespace and API key are enough, and TLS is turned on', () => {
    const config = loadConfig({
      ...required,
      TEMPORAL_ADDRESS: 'studio.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'studio.a1b2c',
      TEMPORAL_API_KEY: 'secret-key',
    });
    expect(config.temporal.namespace).toBe('studio.a1b2c');
    expect(config.temporal.connectionOptions).toMatchObject({ address: 'studio.a1b2c.tmprl.cloud:7233', apiKey: 'secret-key', tls: true });
  });

  test('mTLS: the client certificate and key are read from the files TEMPORAL_TLS_* name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-tls-'));
    writeFileSync(join(dir, 'client.pem'), 'CERTIFICATE');
    writeFileSync(join(dir, 'client.key'), 'PRIVATE KEY');
    const config = loadConfig({
      ...required,
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    const tls = config.temporal.connectionOptions.tls as { serverNameOverride: string; clientCertPair: { crt: Buffer; key: Buffer } };
    expect(tls.serverNameOverride).toBe('temporal.internal');
    expect(Buffer.from(tls.clientCertPair.crt).toString()).toBe('CERTIFICATE');
    expect(Buffer.from(tls.clientCertPair.key).toString()).toBe('PRIVATE KEY');
  });

  test('mTLS with a certificate file that does not exist stops the process with the path in the message', () => {
    const problems = problemsOf({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/missing/client.pem', TEMPORAL_TLS_CLIENT_KEY_PATH: '/missing/client.key' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TEMPORAL_\* \(read by @temporalio\/envconfig\): .*\/missing\/client\.pem/);
  });
});
