import { Router } from 'express';
import type { ExecutionQueries } from '../../services/execution-queries';
import type { ExecutionCommands } from '../../services/execution-commands';
import { badRequest } from '../api-error';
import { readStartRequest } from '../execution-params';
import { enumParam, formOf, requiredParam } from '../form';
import { pageMeta, readPaging } from '../paging';
import { executionContextResource, executionResource } from '../resources/execution-resources';
import { flowUrl, type ResourceContext } from '../resources/flow-resources';
import { requireSids } from '../sid-params';

/** Studio v2 Executions: create, list, fetch, end (Status=ended), delete, and the execution's context. */
export function executionRoutes(executions: ExecutionCommands, reads: ExecutionQueries, ctx: ResourceContext): Router {
  const router = Router();
  requireSids(router, { flowSid: 'FW', sid: 'FN' });
  const base = '/v2/Flows/:flowSid/Executions';

  router.post(base, async (req, res) => {
    const record = await executions.start(readStartRequest(req.params.flowSid, formOf(req)));
    res.status(201).json(executionResource(ctx, record, {}));
  });

  router.get(base, async (req, res) => {
    const paging = readPaging(req, ctx, 1000);
    const query = req.query as Record<string, string | undefined>;
    const status = enumParam(query.Status ?? query.status, 'Status', ['active', 'ended'] as const);
    const filters = { status, createdFrom: readDate(query.DateCreatedFrom, 'DateCreatedFrom'), createdTo: readDate(query.DateCreatedTo, 'DateCreatedTo') };
    const page = await reads.list(req.params.flowSid, filters, paging.pageSize, paging.pageToken);
    const kept = Object.fromEntries(Object.entries({ Status: status, DateCreatedFrom: query.DateCreatedFrom, DateCreatedTo: query.DateCreatedTo }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    res.json({
      executions: page.items.map((item) => executionResource(ctx, item, {})),
      meta: pageMeta(ctx, 'executions', `${flowUrl(ctx, req.params.flowSid)}/Executions`, paging, { hasMore: !!page.nextPageToken, pageToken: page.nextPageToken }, kept),
    });
  });

  router.get(`${base}/:sid`, async (req, res) => {
    const record = await executions.get(req.params.flowSid, req.params.sid);
    res.json(executionResource(ctx, record, record.context));
  });

  router.post(`${base}/:sid`, async (req, res) => {
    enumParam(requiredParam(formOf(req), 'Status'), 'Status', ['ended'] as const);
    const record = await executions.end(req.params.flowSid, req.params.sid);
    res.json(executionResource(ctx, { ...record, status: 'ended' }, record.context));
  });

  router.delete(`${base}/:sid`, async (req, res) => {
    await executions.delete(req.params.flowSid, req.params.sid);
    res.status(204).end();
  });

  router.get(`${base}/:sid/Context`, async (req, res) => {
    res.json(executionContextResource(ctx, await executions.get(req.params.flowSid, req.params.sid)));
  });

  return router;
}

function readDate(text: string | undefined, name: string): Date | undefined {
  if (text === undefined || text === '') return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) throw badRequest(`${name} must be an ISO 8601 date-time`);
  return date;
}
