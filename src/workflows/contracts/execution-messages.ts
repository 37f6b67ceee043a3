import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ChannelContext, FlowContext, JsonObject } from '../../flow/context';
import type { FlowDefinition } from '../../flow/definition';
import type { InboundMessage } from '../../flow/effects';
import type { ExecutionState, ExecutionWarning, StepRecord } from '../../flow/execution-state';
import type { ExecutionTrigger } from '../../flow/interpreter';
import type { RevisionSelector } from './flow-messages';

/**
 * The execution workflow's input (workflow ID = the execution SID, FN…). Only the flow, the contact and the sender
 * are required, so an operator can start one from the Temporal CLI:
 *
 *   temporal workflow start --task-queue studio --type executionWorkflow --workflow-id FN<32 hex> \
 *     --input '{"flowSid": "FW…", "to": "+15551230000", "from": "+15559870000", "parameters": {"name": "Ada"}}'
 *
 * Without `definition` the workflow reads the flow's revision (`revision`, default LatestPublished) and pins it.
 */
export interface ExecutionInput {
  readonly flowSid: string;
  /** Contact address (REST `To`): `contact.channel.address`. */
  readonly to: string;
  /** Twilio-side address (REST `From`): `flow.channel.address`. */
  readonly from: string;
  /** REST `Parameters`: `flow.data`. */
  readonly parameters?: JsonObject;
  readonly revision?: RevisionSelector;
  /** The pinned revision, when the starter already resolved it (the API does). */
  readonly definition?: FlowDefinition;
  readonly flowRevision?: number;
  /** The pinned revision's friendly name, for the memo the Temporal UI shows (the API sets it with the revision). */
  readonly flowName?: string;
  /** Set for subflows by run-subflow (issue: subflows), and by continue-as-new. */
  readonly trigger?: ExecutionTrigger;
  readonly resume?: ExecutionResume;
  /** Continue-as-new once history passes this many events (default 4,000, below Temporal's 10,240 warning). */
  readonly continueAsNewAfterEvents?: number;
  /**
   * IANA zone Liquid dates render in (config `STUDIO_TIMEZONE`, default Studio's America/Los_Angeles); pinned in the
   * execution's state at start, so a replay or a changed setting never alters what it rendered.
   */
  readonly timezone?: string;
}

/** What continue-as-new carries into the next run. */
export interface ExecutionResume {
  readonly state: ExecutionState;
  readonly definition: FlowDefinition;
  /** Earlier runs, for reading the contexts of their steps. */
  readonly previousRuns: readonly PreviousRun[];
  readonly seenMessageSids: readonly string[];
}

export interface PreviousRun {
  readonly runId: string;
  readonly firstStep: number;
}

/** What the API shows of an execution. */
export interface ExecutionView {
  readonly sid: string;
  readonly flowSid: string;
  readonly flowRevision: number;
  readonly status: 'active' | 'ended';
  readonly context: FlowContext;
  readonly contactAddress: string;
  readonly stepCount: number;
  readonly warnings: readonly ExecutionWarning[];
  readonly dateCreated: string;
  readonly dateUpdated: string;
  /** A subflow's result carries its steps, for its parent's step list. */
  readonly steps?: readonly StepRecord[];
}

/** A step with what it wrote to the context; `context` is null for steps an earlier run recorded. */
export interface StepView extends StepRecord {
  readonly context: JsonObject | null;
}

export interface StepPage {
  readonly steps: readonly StepView[];
  readonly total: number;
  /** A subflow running now: its steps so far follow this page's, under `stepSid`. */
  readonly activeChild?: { readonly workflowId: string; readonly stepSid: string };
}

/** A step's context, or the earlier run that holds it. */
export type StepContextLocation =
  | { readonly kind: 'here'; readonly step: StepView; readonly context: FlowContext }
  | { readonly kind: 'earlierRun'; readonly runId: string }
  | { readonly kind: 'child'; readonly workflowId: string; readonly parentStepSid: string }
  | { readonly kind: 'missing' };

export const incomingMessageSignal = defineSignal<[InboundMessage]>('incomingMessage');
/** From a subflow to its parent: the conversation it started, so the parent can clean it up should the child not return. */
export const subflowChannelSignal = defineSignal<[ChannelContext]>('subflowChannel');
/** Status=ended: resolves once the execution ran its cleanup and ended. */
export const endExecutionUpdate = defineUpdate<ExecutionView, []>('endExecution');
/**
 * DELETE of an active execution: like Status=ended (the cleanup runs), but the workflow then stays open briefly so
 * the API's delete request removes it at once; a closed workflow is only removed later by the server.
 */
export const prepareDeletionUpdate = defineUpdate<ExecutionView, []>('prepareDeletion');
/** Undefined until the execution has read its flow. */
export const getExecutionQuery = defineQuery<ExecutionView | undefined>('getExecution');
export const getStepsQuery = defineQuery<StepPage, [number, number]>('getSteps');
export const getStepContextQuery = defineQuery<StepContextLocation, [string]>('getStepContext');
