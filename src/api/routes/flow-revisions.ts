import { Router } from 'express';
import type { FlowStore } from '../../services/flow-store';
import { notFound } from '../errors';
import { readRevisionSelector } from '../flow-params';
import { formOf, listParam } from '../form';
import { pageMeta, readPaging, slicePage } from '../paging';
import { flowUrl, type ResourceContext, revisionResource, testUsersResource } from '../resources/flow-resources';
import { requireSids } from '../sid-params';

/** Studio v2 Flow Revisions and TestUsers. */
export function flowRevisionRoutes(flows: FlowStore, ctx: ResourceContext): Router {
  const router = Router();
  requireSids(router, { sid: 'FW' });

  router.get('/v2/Flows/:sid/Revisions', async (req, res) => {
    const paging = readPaging(req, ctx, 1000);
    const newestFirst = [...(await flows.revisions(req.params.sid))].reverse();
    const page = slicePage(newestFirst, paging);
    res.json({
      revisions: page.items.map((revision) => revisionResource(ctx, revision)),
      meta: pageMeta(ctx, 'revisions', `${flowUrl(ctx, req.params.sid)}/Revisions`, paging, { hasMore: page.hasMore }),
    });
  });

  router.get('/v2/Flows/:sid/Revisions/:revision', async (req, res) => {
    const selector = readRevisionSelector(req.params.revision);
    const revision = await flows.revision(req.params.sid, selector);
    if (!revision) throw notFound(`/Flows/${req.params.sid}/Revisions/${req.params.revision}`);
    res.json(revisionResource(ctx, revision));
  });

  router.get('/v2/Flows/:sid/TestUsers', async (req, res) => {
    const flow = await flows.get(req.params.sid);
    res.json(testUsersResource(ctx, flow.sid, flow.test_users));
  });

  router.post('/v2/Flows/:sid/TestUsers', async (req, res) => {
    await flows.get(req.params.sid);
    const users = await flows.setTestUsers(req.params.sid, listParam(formOf(req), 'TestUsers'));
    res.json(testUsersResource(ctx, req.params.sid, users));
  });

  return router;
}
