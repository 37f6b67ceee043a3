import { Router } from 'express';
import type { WorkerLiveness } from '../../services/worker-liveness';
import type { ApiDeps } from '../deps';
import { checkHealth } from '../health-check';

/**
 * `GET /healthz`: 200 `{temporal: "ok", worker: "ok"}`, else 503 naming what is down, or `{api: "stopping"}` while the
 * process drains. Unauthenticated, for probes.
 */
export function healthRoutes(deps: ApiDeps, liveness: WorkerLiveness): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    if (deps.stopping?.()) return void res.status(503).json({ api: 'stopping' });
    const report = await checkHealth(deps.temporal, deps.config.temporal.taskQueue, liveness);
    res.status(report.healthy ? 200 : 503).json(report.body);
  });
  return router;
}
