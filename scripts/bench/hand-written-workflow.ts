import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../src/activities';

// The same activity options the execution workflow uses, so only the orchestration differs.
const { sendHttpRequest } = proxyActivities<Activities>({ startToCloseTimeout: '20 seconds', retry: { maximumAttempts: 1 } });
const { sendSmsMessage } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '15 seconds', maximumAttempts: 6 },
});

export interface HandWrittenInput {
  readonly to: string;
  readonly from: string;
  readonly orderId: string;
  readonly statusUrl: string;
}

/**
 * What a developer would write by hand for the benchmark's five-widget flow: keep a variable, branch, call the
 * HTTP endpoint, text the contact. The baseline `npm run bench:engine` compares the Studio runtime against.
 */
export async function handWrittenOrderWorkflow(input: HandWrittenInput): Promise<string> {
  const orderId = input.orderId.trim();
  if (orderId === '') return 'no order';
  const response = await sendHttpRequest({ method: 'GET', url: `${input.statusUrl}?order_id=${encodeURIComponent(orderId)}` });
  const status = response.ok && response.status_code < 300 ? (JSON.parse(response.body) as { status: string }).status : 'unknown';
  await sendSmsMessage({ to: input.to, from: input.from, body: `Order ${orderId}: ${status}`, mediaUrl: [] });
  return status;
}
