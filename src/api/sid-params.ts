import type { Router } from 'express';
import { isSid } from '../flow/sids';
import { notFound } from './api-error';

/**
 * Path parameters that name a resource by SID must be a SID of that resource's type (`FW` flows, `FN` executions,
 * `FT` steps, `AC` accounts: two letters and 32 hex digits); anything else is Twilio's 404 before Temporal is asked.
 * That keeps over-long IDs (Temporal refuses IDs over 1,000 characters) and the IDs of other workflows (a flow's SID
 * as an execution, a contact lock's ID) away from reads and updates meant for one workflow type.
 */
export function requireSids(router: Router, params: Readonly<Record<string, 'FW' | 'FN' | 'FT' | 'AC'>>): void {
  for (const [name, prefix] of Object.entries(params)) {
    router.param(name, (req, _res, next, value: string) => next(isSid(value, prefix) ? undefined : notFound(req.path)));
  }
}
