import { Router } from 'express';
import type { FlowStore } from '../../services/flow-store';
import { readSaveRequest } from '../flow-params';
import { formOf } from '../form';
import { pageMeta, readPaging } from '../paging';
import { flowResource, type ResourceContext } from '../resources/flow-resources';
import { requireSids } from '../sid-params';

/** Studio v2 Flows: create, list, fetch, update (a new revision), delete, and Validate. */
export function flowRoutes(flows: FlowStore, ctx: ResourceContext): Router {
  const router = Router();
  requireSids(router, { sid: 'FW' });

  router.post('/v2/Flows/Validate', (req, res) => {
    readSaveRequest(formOf(req), true); // throws the 400 (81022 for a bad definition)
    res.json({ valid: true });
  });

  router.post('/v2/Flows', async (req, res) => {
    const saved = await flows.save(readSaveRequest(formOf(req), true));
    res.status(201).json(flowResource(ctx, await flows.get(saved.flow_sid), true));
  });

  router.get('/v2/Flows', async (req, res) => {
    const paging = readPaging(req, ctx, 1000);
    const page = await flows.list(paging.pageSize, paging.pageToken);
    res.json({
      flows: page.flows.map((flow) => flowResource(ctx, flow, false)),
      meta: pageMeta(ctx, 'flows', `${ctx.baseUrl}/v2/Flows`, paging, { hasMore: !!page.nextPageToken, pageToken: page.nextPageToken }),
    });
  });

  router.get('/v2/Flows/:sid', async (req, res) => {
    res.json(flowResource(ctx, await flows.get(req.params.sid), true));
  });

  router.post('/v2/Flows/:sid', async (req, res) => {
    await flows.get(req.params.sid);
    await flows.save(readSaveRequest(formOf(req), false), { sid: req.params.sid, mustExist: true });
    res.json(flowResource(ctx, await flows.get(req.params.sid), true));
  });

  router.delete('/v2/Flows/:sid', async (req, res) => {
    await flows.delete(req.params.sid);
    res.status(204).end();
  });

  return router;
}
