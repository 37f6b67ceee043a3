import type { Request } from 'express';
import { badRequest } from './api-error';

/** A form-encoded body as Twilio sends it: each parameter a string, or a list when repeated. */
export type Form = Record<string, string | string[] | undefined>;

/**
 * The request's form parameters. A body of another type (JSON, say) is a 400 that says what Twilio's API takes, rather
 * than a misleading "missing parameter".
 */
export function formOf(req: Request): Form {
  const body: unknown = req.body;
  if (body === undefined) {
    if (hasBody(req)) throw badRequest('The request body must be form-encoded (Content-Type: application/x-www-form-urlencoded), as Twilio’s API takes it');
    return {};
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be form-encoded');
  return body as Form;
}

/** A single-valued parameter; a repeated one is a client error. */
export function optionalParam(form: Form, name: string): string | undefined {
  const value = form[name];
  if (Array.isArray(value)) throw badRequest(`Parameter ${name} must be given once`);
  return value;
}

export function requiredParam(form: Form, name: string): string {
  const value = optionalParam(form, name);
  if (value === undefined || value === '') throw badRequest(`Missing required parameter ${name} in the post body`);
  return value;
}

/** A parameter Twilio's clients send repeated (`TestUsers=a&TestUsers=b`). */
export function listParam(form: Form, name: string): string[] {
  const value = form[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function enumParam<T extends string>(value: string | undefined, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw badRequest(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Whether the request announces a body (a length above zero, or chunks). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
