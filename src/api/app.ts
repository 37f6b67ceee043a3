import { noopMetricMeter } from '@temporalio/common';
import express, { type Express } from 'express';
import type { ApiDeps } from './deps';
import { basicAuth } from './middleware/basic-auth';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { useFormBodies } from './middleware/form-body';
import { requestTelemetry } from './middleware/request-telemetry';
import { PageTokens } from './page-tokens';
import { ExecutionQueries } from '../services/execution-queries';
import { ExecutionCommands } from '../services/execution-commands';
import { FlowStore } from '../services/flow-store';
import { WorkerLiveness } from '../services/worker-liveness';
import { conversationWebhookRoutes } from './routes/conversation-webhooks';
import { executionStepRoutes } from './routes/execution-steps';
import { executionRoutes } from './routes/executions';
import { flowRevisionRoutes } from './routes/flow-revisions';
import { flowRoutes } from './routes/flows';
import { flowWebhookRoutes } from './routes/flow-webhooks';
import { healthRoutes } from './routes/health';
import { consoleRoutes } from './routes/console';
import { deliverReply } from '../services/reply-delivery';
import { ReplyRedelivery } from '../services/reply-redelivery';
import { InboundRouter } from '../services/inbound-router';

/** Builds the Express app: health probe, then the Studio v2 API behind Basic auth, then Twilio-style errors. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  const ctx = { accountSid: deps.config.twilio.accountSid, baseUrl: deps.config.publicBaseUrl, pageTokens: new PageTokens(deps.config.twilio.authToken) };
  const liveness = new WorkerLiveness(deps.temporal, deps.config.temporal.taskQueue);
  const flows = new FlowStore(deps.temporal, deps.config.temporal.taskQueue, liveness);
  const executions = new ExecutionCommands(deps.temporal, deps.config.temporal.taskQueue, flows, liveness, deps.config.studioTimezone);
  const reads = new ExecutionQueries(deps.temporal, executions, liveness);
  const meter = deps.meter ?? noopMetricMeter;
  const redelivery = deps.redelivery ?? new ReplyRedelivery((sid, message) => deliverReply(deps.temporal, sid, message), deps.logger, meter);
  app.use(requestTelemetry(deps.logger, meter));
  app.use(healthRoutes(deps, liveness));
  app.use('/v2', basicAuth(deps.config.twilio.accountSid, deps.config.twilio.authToken));
  // The web console: same credentials as the API; mounted before the form parser (its emulator pass-through reads raw bodies).
  app.use('/console', basicAuth(deps.config.twilio.accountSid, deps.config.twilio.authToken), consoleRoutes(deps.config, executions));
  useFormBodies(app);
  app.use(flowRoutes(flows, ctx));
  app.use(flowRevisionRoutes(flows, ctx));
  app.use(executionRoutes(executions, reads, ctx));
  app.use(executionStepRoutes(reads, ctx));
  app.use(flowWebhookRoutes(deps.config, deps.logger, new InboundRouter(deps.temporal, executions, deps.config.temporal.taskQueue)));
  app.use(conversationWebhookRoutes(deps.temporal, deps.config, deps.logger, meter, redelivery));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
