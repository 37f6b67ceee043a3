import type { JsonObject } from '../flow/context';
import type { StartExecutionOptions } from '../services/execution-commands';
import { badRequest } from './errors';
import { type Form, optionalParam, requiredParam } from './form';
import { jsonNesting } from './json-nesting';

/**
 * `Parameters` becomes `flow.data` and travels in the execution's workflow input beside the flow definition (up to
 * 1,000,000 characters, see flow-params): 64 KiB keeps the input far below Temporal's 2 MB payload limit.
 */
export const MAX_PARAMETERS_CHARS = 65_536;
/** Nesting depth of `Parameters`: deeper JSON cannot be converted to a Temporal payload (about 4,500 levels fail). */
export const MAX_PARAMETERS_DEPTH = 32;
/**
 * `To` and `From` are addresses (E.164 numbers, `whatsapp:+1…`, `messenger:…`, chat identities, a Messaging Service
 * SID). `To` names the contact's lock workflow (`<flow SID>/contacts/<To>`), whose ID Temporal caps at 1,000
 * characters; 256 is longer than any Twilio address.
 */
export const MAX_ADDRESS_CHARS = 256;

/** Create Execution's `To`, `From` and `Parameters` (Studio v2), checked so Temporal never sees what it cannot take. */
export function readStartRequest(flowSid: string, form: Form): StartExecutionOptions {
  return {
    flowSid,
    to: readAddress(form, 'To'),
    from: readAddress(form, 'From'),
    parameters: readParameters(optionalParam(form, 'Parameters')),
  };
}

function readAddress(form: Form, name: 'To' | 'From'): string {
  const value = requiredParam(form, name);
  // No control characters, no spaces around: an address is one printable token (inner spaces are kept for identities).
  // eslint-disable-next-line no-control-regex
  if (value.length > MAX_ADDRESS_CHARS || /[\u0000-\u001f\u007f]/.test(value) || value.trim() !== value) {
    throw badRequest(
      `${name} must be a phone number in E.164 form (+15551230000), a channel address (whatsapp:+15551230000) or an ` +
        `identity: at most ${MAX_ADDRESS_CHARS} characters, no control characters, no leading or trailing spaces`,
    );
  }
  return value;
}

/** `Parameters`: a JSON object, sent as a string; it becomes `flow.data`. */
function readParameters(text: string | undefined): JsonObject {
  if (text === undefined || text.trim() === '') return {};
  if (text.length > MAX_PARAMETERS_CHARS) throw badRequest(`Parameters must be at most ${MAX_PARAMETERS_CHARS} characters of JSON`);
  if (jsonNesting(text) > MAX_PARAMETERS_DEPTH) throw badRequest(`Parameters must be nested at most ${MAX_PARAMETERS_DEPTH} levels deep`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`Parameters must be a JSON object: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('Parameters must be a JSON object');
  return value as JsonObject;
}
