import type { FlowDefinition } from '../flow/definition';
import { INVALID_FLOW_DEFINITION } from '../flow/validation/issues';
import { validateFlowText } from '../flow/validation/validate-flow';
import type { RevisionSelector, SaveFlowRequest } from '../workflows/contracts/flow-messages';
import { ApiError, badRequest } from './errors';
import { enumParam, type Form, optionalParam, requiredParam } from './form';
import { jsonNesting } from './json-nesting';

/** Definitions travel in workflow inputs; this keeps them far below Temporal's 2 MB payload limit. */
const MAX_DEFINITION_CHARS = 1_000_000;
/** A Studio flow nests a handful of levels (states → properties → participants → …); deeper is hostile. */
const MAX_DEFINITION_DEPTH = 64;
/**
 * The name and commit message are kept in the flow's memo, which every list reads: Studio shows names of a line, so
 * these caps keep memos small (Temporal limits a memo to its 2 MB payload limit, lists far less comfortably).
 */
const MAX_FRIENDLY_NAME_CHARS = 256;
const MAX_COMMIT_MESSAGE_CHARS = 1_024;

/** Reads Create/Update/Validate parameters; an invalid definition is a 400 with code 81022 and Studio's issue list. */
export function readSaveRequest(form: Form, isCreate: boolean): SaveFlowRequest {
  const status = enumParam(requiredParam(form, 'Status'), 'Status', ['draft', 'published'] as const)!;
  const friendlyName = capped(isCreate ? requiredParam(form, 'FriendlyName') : optionalParam(form, 'FriendlyName'), 'FriendlyName', MAX_FRIENDLY_NAME_CHARS);
  const definitionText = isCreate ? requiredParam(form, 'Definition') : optionalParam(form, 'Definition');
  return {
    status,
    friendly_name: friendlyName,
    definition: definitionText === undefined ? undefined : readDefinition(definitionText),
    commit_message: capped(optionalParam(form, 'CommitMessage'), 'CommitMessage', MAX_COMMIT_MESSAGE_CHARS) ?? null,
  };
}

function capped(value: string | undefined, name: string, max: number): string | undefined {
  if (value !== undefined && value.length > max) throw badRequest(`${name} must be at most ${max} characters`);
  return value;
}

function readDefinition(text: string): FlowDefinition {
  if (text.length > MAX_DEFINITION_CHARS) throw badRequest(`Definition must be at most ${MAX_DEFINITION_CHARS} characters`);
  if (jsonNesting(text) > MAX_DEFINITION_DEPTH) throw badRequest(`Definition must be nested at most ${MAX_DEFINITION_DEPTH} levels deep`);
  const result = validateFlowText(text);
  if (!result.definition) throw invalidDefinition(result.errors);
  return result.definition;
}

export function invalidDefinition(errors: ReadonlyArray<{ property_path: string; message: string }>): ApiError {
  return new ApiError(400, INVALID_FLOW_DEFINITION, 'Invalid Flow Definition', { errors });
}

/** `Revision` path segment: a number, `LatestPublished` or `LatestRevision`; anything else is Studio's 81021. */
export function readRevisionSelector(value: string): RevisionSelector {
  if (value === 'LatestPublished' || value === 'LatestRevision') return value;
  if (/^[1-9]\d{0,9}$/.test(value)) return Number(value);
  throw new ApiError(400, 81021, `Invalid revision '${value}': use a revision number, LatestPublished or LatestRevision`);
}
