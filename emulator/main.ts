import { createEmulator } from './emulator';
import { type EnvOptions, optionsFromEnv } from './env';
import { isSid } from './sids';

/**
 * `npm run emulator`: serves on EMULATOR_PORT (default 3001) and EMULATOR_HOST (default 127.0.0.1) until stopped;
 * STUDIO_FLOW_BASE_URL (else PUBLIC_BASE_URL) and EMULATOR_WEBHOOK_CONCURRENCY as emulator/env.ts reads them.
 */
async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const accountSid = requireEnv(env, 'TWILIO_ACCOUNT_SID', (v) => isSid(v, 'AC'), 'AC followed by 32 hex digits');
  const authToken = requireEnv(env, 'TWILIO_AUTH_TOKEN', (v) => v !== '', 'a non-empty token');
  const port = Number(env.EMULATOR_PORT ?? '3001');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('EMULATOR_PORT must be a port number (0–65535)');

  let extra: EnvOptions = {};
  try {
    extra = optionsFromEnv(env);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const emulator = createEmulator({ accountSid, authToken, ...extra });
  const running = await emulator.listen(port, env.EMULATOR_HOST || '127.0.0.1');
  console.log(`Twilio emulator listening on ${running.url}`);
  console.log(`  default Conversations service: ${emulator.defaultServiceSid}`);
  console.log(`  admin view: ${running.url}/_emulator`);
  console.log(`  a contact texts a number: POST ${running.url}/_emulator/inbound (From, To, Body)`);
  console.log(`  studio-target webhooks go to: ${extra.studioFlowBaseUrl ?? '(nowhere: set STUDIO_FLOW_BASE_URL)'}`);
  console.log(`  webhook requests in flight at most: ${emulator.webhookQueue().limit}`);
  console.log(`  point the product at it with TWILIO_API_BASE_URL=${running.url}`);

  const stop = (signal: string) => {
    console.log(`${signal}: stopping the emulator`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`could not stop cleanly: ${String(error)}`),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function requireEnv(env: NodeJS.ProcessEnv, name: string, valid: (value: string) => boolean, shape: string): string {
  const value = env[name];
  if (value === undefined || value === '') fail(`${name} is required but not set (${shape})`);
  if (!valid(value)) fail(`${name} is invalid: expected ${shape}`);
  return value;
}

function fail(message: string): never {
  console.error(`emulator: ${message}`);
  process.exit(1);
}

main(process.env).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
