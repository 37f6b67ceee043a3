import type { Config } from '../config';
import { sendHttpRequest } from './http/http-request';
import type { TwilioClient } from './twilio/twilio-client';

/** What activities need from the outside world; the worker builds it once at boot. */
export interface ActivityDeps {
  readonly config: Config;
  readonly twilio: TwilioClient;
}

/** Every activity the worker registers, grouped by external system and built from injected clients. */
export function createActivities(_deps: ActivityDeps) {
  return { sendHttpRequest };
}

export type Activities = ReturnType<typeof createActivities>;
