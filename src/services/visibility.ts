import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

export interface VisibilityPage<T> {
  readonly items: readonly T[];
  /** Opaque, URL-safe; absent on the last page. */
  readonly nextPageToken?: string;
}

type RawExecution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** One page of a visibility query, newest first; `map` turns each execution (with its decoded memo) into an item. */
export async function listPage<T>(
  client: Client,
  query: string,
  pageSize: number,
  pageToken: string | undefined,
  map: (execution: RawExecution, memo: Record<string, unknown>) => T | undefined,
): Promise<VisibilityPage<T>> {
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    pageSize,
    nextPageToken: pageToken ? Buffer.from(pageToken, 'base64url') : undefined,
    query,
  });
  const items = (response.executions ?? []).flatMap((execution) => {
    const memo = Object.fromEntries(
      Object.entries(execution.memo?.fields ?? {}).map(([key, payload]) => [key, defaultPayloadConverter.fromPayload(payload)]),
    );
    const item = map(execution, memo);
    return item === undefined ? [] : [item];
  });
  const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
  return { items, nextPageToken: token };
}

/** A value inside single quotes of a visibility query. */
export function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Seconds of a protobuf timestamp as a Date. */
export function dateOf(timestamp: { seconds?: unknown; nanos?: number | null } | null | undefined): Date | undefined {
  if (!timestamp?.seconds) return undefined;
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6));
}
