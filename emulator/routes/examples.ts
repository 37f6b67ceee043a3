import { Router } from 'express';

const STATUSES = ['shipped', 'packed', 'processing'] as const;

/**
 * A far end for the example flows (not a Twilio API): `GET /_emulator/examples/orders?order_id=1001` answers an
 * order's status as JSON, so flows/http-branching.json runs end to end under `npm start` with nothing else to set up.
 * Order IDs ending in 1 are shipped, 2 packed, 3 processing; any other ID is unknown (404).
 */
export function exampleRoutes(): Router {
  const router = Router();
  router.get('/orders', (req, res) => {
    const id = typeof req.query.order_id === 'string' ? req.query.order_id : '';
    const status = STATUSES[Number(id.slice(-1)) - 1];
    if (!/^\d+$/.test(id) || !status) return void res.status(404).json({ order_id: id, error: 'unknown order' });
    res.json({ order_id: id, status, carrier: 'UPS', tracking: `1Z${id.padStart(8, '0')}` });
  });
  return router;
}
