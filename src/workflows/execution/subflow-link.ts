import { getExternalWorkflowHandle, log, patched, workflowInfo } from '@temporalio/workflow';
import type { ChannelContext } from '../../flow/context';
import type { InboundMessage } from '../../flow/effects';
import type { ExecutionState } from '../../flow/execution-state';
import { incomingMessageSignal, subflowChannelSignal } from '../contracts/execution-messages';
import type { Inbox } from './inbox';
import { SUBFLOW_HAND_OFF_PATCH } from './subflow-patches';

/**
 * The parent/child wiring of run-subflow, seen from either side. A parent remembers its running child, hands it the
 * replies its webhook receives (the webhook stays addressed to the parent), and remembers a conversation the child
 * started, to clean it up should the child never return. A child tells its parent about such a conversation.
 */
export class SubflowLink {
  private child?: { readonly workflowId: string; readonly stepSid: string };
  private reported?: string;
  private reportedHandOff = false;
  /** A conversation the running (or cancelled) child started. */
  childChannel?: ChannelContext;

  constructor(readonly isSubflow: boolean) {}

  get activeChild(): { readonly workflowId: string; readonly stepSid: string } | undefined {
    return this.child;
  }

  childStarted(workflowId: string, stepSid: string): void {
    this.child = { workflowId, stepSid };
  }

  childEnded(): void {
    this.child = undefined;
  }

  /** While a child runs, a reply is the child's: passed on (once per MessageSid). True when it was. */
  forward(message: InboundMessage, inbox: Inbox): boolean {
    if (!this.child) return false;
    if (inbox.claim(message)) {
      getExternalWorkflowHandle(this.child.workflowId)
        .signal(incomingMessageSignal, message)
        .catch((err: unknown) => log.warn('could not pass a reply to the subflow', { messageSid: message.MessageSid, error: String(err) }));
    }
    return true;
  }

  /**
   * In a child: tells the parent about its conversation once, and again when the child hands it off (a parent ended
   * while the child still runs must not clean up a conversation Flex owns as `ended`).
   */
  reportChannel(state: ExecutionState): void {
    const channel = state.context.flow.channel;
    const parent = workflowInfo().parent;
    if (!this.isSubflow || !parent || channel.type !== 'conversation' || !channel.sid) return;
    if (this.reported === channel.sid) {
      const handedOff = channel.status === 'handed_off' && !this.reportedHandOff;
      if (!handedOff || !patched(SUBFLOW_HAND_OFF_PATCH)) return;
      this.reportedHandOff = true;
    }
    this.reported = channel.sid;
    getExternalWorkflowHandle(parent.workflowId)
      .signal(subflowChannelSignal, channel)
      .catch((err: unknown) => log.warn('could not tell the parent about the conversation', { error: String(err) }));
  }
}
