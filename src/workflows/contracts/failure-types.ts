/**
 * Every ApplicationFailure type the product raises, in one place: the sides that raise one and the sides that read it
 * (by string, never `instanceof`, because a failure crosses the sandbox and the wire) import it from here. Types are
 * part of recorded histories: a new one may be added, a recorded one never renamed.
 */

/** Failures of Twilio calls, raised by activities and read by workflows. */
export const TWILIO_FAILURE = {
  /** Twilio refused the request (4xx other than 429): retrying cannot help. */
  rejected: 'TwilioRequestRejected',
  /** Twilio was unreachable, overloaded (429) or failed (5xx): Temporal retries. */
  unavailable: 'TwilioUnavailable',
} as const;

/** What a workflow learns about a refused request. */
export interface TwilioFailureDetails {
  readonly status?: number;
  readonly code?: number;
  readonly message: string;
}

/** Failures of the flow workflow's updates, which the flow store maps to Twilio errors (src/services/flow-store.ts). */
export const FLOW_FAILURE = {
  /** The definition breaks Studio's rules; the failure's first detail is the issue list (FlowIssue[]). */
  invalidDefinition: 'InvalidFlowDefinition',
  invalidParameter: 'InvalidParameter',
  deleted: 'FlowDeleted',
} as const;

/** The flow-store activity's failure when a flow or its revision does not exist (Run Subflow maps it to Studio's 81024). */
export const FLOW_REVISION_NOT_FOUND = 'FlowRevisionNotFound';

/** Failures of an execution workflow. */
export const EXECUTION_FAILURE = {
  /** An update (Status=ended, prepareDeletion) reached an execution that has already ended. */
  ended: 'ExecutionEnded',
  /** The interpreter threw before the trigger ran (or in a history from before patch core-error-ends-execution). */
  coreError: 'ExecutionCoreError',
} as const;
