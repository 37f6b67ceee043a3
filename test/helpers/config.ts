import { randomBytes } from 'node:crypto';
import { type Config, loadConfig } from '../../src/config';
import { testServerAddress } from './temporal';

/** Fresh credentials per test file, shaped like Twilio's. */
export function devCredentials(): { accountSid: string; authToken: string } {
  return { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
}

/** The product's real config, built through loadConfig from env-style values, pointed at the test server. */
export function testConfig(vars: Record<string, string | undefined> = {}): Config {
  const { accountSid, authToken } = devCredentials();
  return loadConfig({
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    PUBLIC_BASE_URL: 'http://127.0.0.1:1',
    TEMPORAL_ADDRESS: testServerAddress(),
    TEMPORAL_NAMESPACE: 'default',
    ...vars,
  });
}
