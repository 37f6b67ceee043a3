import type { FlowIssue } from '../flow/validation/issues';

/** Errors of the flow and execution stores; the API maps each to a Twilio error. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** No flow has the SID (never created, or deleted). */
export class FlowNotFoundError extends StoreError {
  constructor(public readonly sid: string) {
    super(`Flow ${sid} was not found`);
  }
}

/** A save was rejected: an invalid definition (with Studio's issue list) or a bad parameter. */
export class FlowRejectedError extends StoreError {
  constructor(
    message: string,
    public readonly issues: readonly FlowIssue[] | undefined,
  ) {
    super(message);
  }
}

/** The flow exists but has never been published, so no execution can start. */
export class NoPublishedRevisionError extends StoreError {
  constructor(public readonly flowSid: string) {
    super(`Flow ${flowSid} has no published revision; publish it (Status=published) before starting executions`);
  }
}

/** No execution of that flow has the SID. */
export class ExecutionNotFoundError extends StoreError {
  constructor(
    public readonly flowSid: string,
    public readonly sid: string,
  ) {
    super(`Execution ${sid} of flow ${flowSid} was not found`);
  }
}

/** The contact already has an active execution of the flow. */
export class ExecutionConflictError extends StoreError {
  /**
   * `starting`: the holder's execution is not running yet (being started, or its ID still holds its message's reply
   * record), so there is nothing to signal yet.
   */
  constructor(
    public readonly flowSid: string,
    public readonly contact: string,
    public readonly activeSid: string | undefined,
    public readonly starting = false,
  ) {
    super(`Execution ${activeSid ?? '(starting)'} is already active for contact ${contact} on flow ${flowSid}`);
  }
}

/** The execution has already ended, so it cannot be ended again. */
export class ExecutionEndedError extends StoreError {
  constructor(public readonly sid: string) {
    super(`Execution ${sid} has already ended`);
  }
}

/** Reads are answered by workers; none answered in time (or Temporal itself did not answer: `temporalUnavailable`). */
export class WorkerUnavailableError extends StoreError {
  constructor(
    what: string,
    public readonly temporalUnavailable = false,
  ) {
    super(
      temporalUnavailable
        ? `Temporal did not answer for ${what}; it may be restarting: try again shortly (GET /healthz)`
        : `No worker answered for ${what} in time; check that the worker is running (GET /healthz)`,
    );
  }
}

/** The execution's workflow task keeps failing, so no worker can answer for its steps; it can still be ended or deleted. */
export class ExecutionStuckError extends StoreError {
  constructor(
    public readonly sid: string,
    attempts: number,
    lastFailure: string,
  ) {
    super(
      `Execution ${sid} cannot be read: its workflow task failed on ${attempts} attempt${attempts === 1 ? '' : 's'} ` +
        `(last: ${lastFailure}); end it (Status=ended) or delete it`,
    );
  }
}

/** The execution has no step with the SID. */
export class StepNotFoundError extends StoreError {
  constructor(
    public readonly executionSid: string,
    public readonly stepSid: string,
  ) {
    super(`Step ${stepSid} of execution ${executionSid} was not found`);
  }
}
