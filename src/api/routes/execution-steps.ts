import { Router } from 'express';
import type { ExecutionQueries } from '../../services/execution-queries';
import { pageMeta, readPaging } from '../paging';
import { executionUrl, stepContextResource, stepResource } from '../resources/execution-resources';
import type { ResourceContext } from '../resources/flow-resources';
import { requireSids } from '../sid-params';

/** Studio v2 Execution Steps and their contexts, for active and ended executions. */
export function executionStepRoutes(reads: ExecutionQueries, ctx: ResourceContext): Router {
  const router = Router();
  requireSids(router, { flowSid: 'FW', sid: 'FN', stepSid: 'FT' });
  const base = '/v2/Flows/:flowSid/Executions/:sid/Steps';

  router.get(base, async (req, res) => {
    const { flowSid, sid } = req.params;
    const paging = readPaging(req, ctx, 1000);
    const page = await reads.steps(flowSid, sid, paging.page * paging.pageSize, paging.pageSize);
    res.json({
      steps: page.steps.map((step) => stepResource(ctx, flowSid, sid, step)),
      meta: pageMeta(ctx, 'steps', `${executionUrl(ctx, flowSid, sid)}/Steps`, paging, { hasMore: page.total > (paging.page + 1) * paging.pageSize }),
    });
  });

  router.get(`${base}/:stepSid`, async (req, res) => {
    const { flowSid, sid, stepSid } = req.params;
    res.json(stepResource(ctx, flowSid, sid, await reads.step(flowSid, sid, stepSid)));
  });

  router.get(`${base}/:stepSid/Context`, async (req, res) => {
    const { flowSid, sid, stepSid } = req.params;
    const { context } = await reads.stepContext(flowSid, sid, stepSid);
    res.json(stepContextResource(ctx, flowSid, sid, stepSid, context));
  });

  return router;
}
