import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Logger } from '../logger';

/** Everything the API needs, injected so tests run the real app against their own server and config. */
export interface ApiDeps {
  readonly config: Config;
  readonly temporal: Client;
  readonly logger: Logger;
}
