import type { Request } from 'express';

/** Request parameters by Twilio name (`MessagingBinding.Address`); repeated names give arrays. */
export type Params = Readonly<Record<string, string | readonly string[]>>;

/** The form (or, leniently, JSON) body as flat Twilio params; nested JSON objects become dotted names. */
export function bodyParams(req: Request): Params {
  return flatten(req.body);
}

/** The query string as Twilio params. */
export function queryParams(req: Request): Params {
  return flatten(req.query);
}

/** A single-valued param; the last one wins when it is repeated. */
export function one(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || typeof value === 'string') return value;
  return value[value.length - 1];
}

/** A repeated param (`Configuration.Filters=a&Configuration.Filters=b`) as a list. */
export function many(params: Params, name: string): string[] {
  const value = params[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** A path parameter; express guarantees it for the matched route, so absence is a routing bug. */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string') throw new Error(`route has no :${name} parameter`);
  return value;
}

function flatten(input: unknown, prefix = '', out: Record<string, string | string[]> = {}): Params {
  if (typeof input !== 'object' || input === null) return out;
  for (const [key, value] of Object.entries(input)) {
    const name = prefix ? `${prefix}.${key}` : key;
    // A JSON null means "not given", as an absent form field would.
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) out[name] = value.map(scalar);
    else if (typeof value === 'object') flatten(value, name, out);
    else out[name] = scalar(value);
  }
  return out;
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
