/**
 * Starting Studio executions from your own code, with the Temporal client you already have. Executions started here
 * are the same as those the API starts: one active execution per (flow, contact), listed and read by the API.
 *
 *   import { Client, Connection } from '@temporalio/client';
 *   import { startStudioExecution } from 'studio-temporal/dist/src/client';
 *   const client = new Client({ connection: await Connection.connect({ address: 'localhost:7233' }) });
 *   const execution = await startStudioExecution(client, { flowSid: 'FW…', to: '+15551230000', from: '+15559870000' });
 *
 * Without this helper, `temporal workflow start --type executionWorkflow` takes the input documented on
 * {@link ExecutionInput} (no per-contact rule then: that is the slot this helper goes through).
 */
import type { Client } from '@temporalio/client';
import { DEFAULT_TASK_QUEUE } from './config';
import { ExecutionCommands, type StartExecutionOptions } from './services/execution-commands';
import { FlowStore } from './services/flow-store';
import type { ExecutionView } from './workflows/contracts/execution-messages';

export type { ExecutionInput } from './workflows/contracts/execution-messages';
export type { ExecutionView, StartExecutionOptions };

/** Starts an execution of the flow's latest published revision; rejects with ExecutionConflictError when the contact has one. */
export function startStudioExecution(client: Client, options: StartExecutionOptions & { taskQueue?: string }): Promise<ExecutionView> {
  // The task queue says where the execution runs, not what it is: it stays out of the workflow input (and history).
  const { taskQueue = DEFAULT_TASK_QUEUE, ...start } = options;
  return new ExecutionCommands(client, taskQueue, new FlowStore(client, taskQueue)).start(start);
}

export {
  ExecutionConflictError,
  FlowNotFoundError,
  NoPublishedRevisionError,
} from './services/store-errors';
