import type { EmulatorOptions } from './emulator';

/** The emulator options `npm run emulator` reads from the environment, beyond the account and the port. */
export type EnvOptions = Pick<EmulatorOptions, 'studioFlowBaseUrl' | 'webhooks'>;

/**
 * Reads `STUDIO_FLOW_BASE_URL` (the product's base URL; `PUBLIC_BASE_URL` when unset, so one `.env` serves both) and
 * `EMULATOR_WEBHOOK_CONCURRENCY` (webhook requests in flight at once, an integer of 1 or more). Throws an Error naming
 * the variable when a value is malformed.
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv): EnvOptions {
  const base = env.STUDIO_FLOW_BASE_URL || env.PUBLIC_BASE_URL || undefined;
  if (base !== undefined && (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol))) {
    const name = env.STUDIO_FLOW_BASE_URL ? 'STUDIO_FLOW_BASE_URL' : 'PUBLIC_BASE_URL';
    throw new Error(`${name} must be an absolute http:// or https:// URL, not '${base}'`);
  }
  const concurrency = env.EMULATOR_WEBHOOK_CONCURRENCY;
  if (concurrency !== undefined && concurrency !== '' && !/^[1-9]\d*$/.test(concurrency)) {
    throw new Error(`EMULATOR_WEBHOOK_CONCURRENCY must be an integer of 1 or more, not '${concurrency}'`);
  }
  return {
    ...(base !== undefined && { studioFlowBaseUrl: base }),
    ...(concurrency ? { webhooks: { maxConcurrent: Number(concurrency) } } : {}),
  };
}
