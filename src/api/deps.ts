import type { Client } from '@temporalio/client';
import type { MetricMeter } from '@temporalio/common';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { ReplyRedelivery } from '../services/reply-redelivery';

/** Everything the API needs, injected so tests run the real app against their own server and config. */
export interface ApiDeps {
  readonly config: Config;
  readonly temporal: Client;
  readonly logger: Logger;
  /** Where request and webhook metrics go: the runtime's meter when the process serves /metrics; none by default. */
  readonly meter?: MetricMeter;
  /** Keeps the replies Temporal could not take and retries them; the app makes its own when none is given. */
  readonly redelivery?: ReplyRedelivery;
  /** True once the process is shutting down: /healthz answers 503 so load balancers stop sending requests. */
  readonly stopping?: () => boolean;
}
