import type { Request } from 'express';
import { badRequest } from './errors';

/** A form-encoded body as Twilio sends it: each parameter a string, or a list when repeated. */
export type Form = Record<string, string | string[] | undefined>;

export function formOf(req: Request): Form {
  const body: unknown = req.body;
  if (body === undefined) return {};
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
