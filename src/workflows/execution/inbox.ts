import { log, patched } from '@temporalio/workflow';
import { type InboundMessage, isMessagingMessage, type MessagingMessage } from '../../flow/effects';
import type { Clock, ExecutionState } from '../../flow/execution-state';

/** Studio's warning for an event the current widget cannot take (here: a reply while no widget waits). */
const UNEXPECTED_EVENT = 81002;
/** Enough to recognise any webhook redelivery (Twilio retries within minutes), small enough to carry along. */
const REMEMBERED_SIDS = 1_000;
const KEPT_WARNINGS = 100;
/**
 * Gates ignoring a reply when the execution has no conversation at all (an SMS flow): before it, such a reply reached
 * a waiting widget; histories recorded before it replay as they ran.
 */
export const REPLY_NEEDS_CONVERSATION_PATCH = 'reply-needs-conversation';
/**
 * Gates taking SMS/WhatsApp replies (Programmable Messaging webhooks to the flow's URL, DESIGN.md §8) in executions
 * that talk over Messaging; before it no such message ever reached an execution.
 */
export const INBOUND_CHANNELS_PATCH = 'inbound-channels';

/**
 * Replies from the contact. Each MessageSid reaches the flow once, however often the webhook is delivered. A reply
 * is taken only from the execution's own conversation, and only while a widget waits for one, which it does from
 * before it sends its prompt; any other reply is ignored and recorded as a warning, as Studio does (81002).
 */
export class Inbox {
  /** Replies taken for the waiting widget, oldest first. */
  private readonly pending: InboundMessage[] = [];
  private readonly early: InboundMessage[] = [];
  private readonly seen: string[];
  private readonly seenSet: Set<string>;

  constructor(
    private readonly current: () => ExecutionState | undefined,
    seen: readonly string[],
    private readonly clock: Clock,
  ) {
    this.seen = [...seen];
    this.seenSet = new Set(seen);
  }

  /** Takes a delivery; returns the execution state, with a warning added when nobody waits for it. */
  receive(message: InboundMessage): ExecutionState | undefined {
    const state = this.current();
    if (this.seenSet.has(message.MessageSid)) return state;
    if (!state) {
      // Before the first widget nobody can wait. Since inbound channels (a contact's burst of first texts reaches the
      // execution they started) such a message is remembered and warned about, so a redelivery is not taken later.
      if (patched(INBOUND_CHANNELS_PATCH)) {
        this.remember(message.MessageSid);
        this.early.push(message);
      }
      return state;
    }
    this.remember(message.MessageSid);
    const channel = state.context.flow.channel;
    if (isMessagingMessage(message) && patched(INBOUND_CHANNELS_PATCH)) return this.receiveMessaging(state, message);
    if (isMessagingMessage(message)) return warn(state, `message ${message.MessageSid} came over Messaging, which this execution does not take; it was ignored`, this.clock);
    if (channel.sid && message.ConversationSid !== channel.sid) {
      return warn(state, `message ${message.MessageSid} is from conversation ${message.ConversationSid}, not the execution's ${channel.sid}; it was ignored`, this.clock);
    }
    // Replies arrive only over a conversation's webhook: an execution without one has no contact reply to take.
    if (!channel.sid && patched(REPLY_NEEDS_CONVERSATION_PATCH)) {
      return warn(state, `message ${message.MessageSid} is from conversation ${message.ConversationSid}, but the execution has no conversation; it was ignored`, this.clock);
    }
    return this.toWaitingWidget(state, message);
  }

  /**
   * An SMS/WhatsApp message from the contact: a reply only for an execution that talks over Messaging. One that
   * talks in a conversation hears its contact there (Twilio routes the contact's texts into the conversation).
   */
  private receiveMessaging(state: ExecutionState, message: MessagingMessage): ExecutionState {
    const channel = state.context.flow.channel;
    if (channel.sid) {
      return warn(state, `message ${message.MessageSid} came over Messaging from ${message.From}, but the execution talks in conversation ${channel.sid}; it was ignored`, this.clock);
    }
    return this.toWaitingWidget(state, message);
  }

  private toWaitingWidget(state: ExecutionState, message: InboundMessage): ExecutionState {
    if (state.status === 'active' && state.current?.effect.kind === 'sendMessage' && state.current.effect.awaitReply) {
      this.pending.push(message);
      return state;
    }
    return warn(state, `message ${message.MessageSid} arrived while no widget was waiting for a reply; it was ignored`, this.clock);
  }

  /** The oldest reply waiting for the widget, left in the queue. */
  peek(): InboundMessage | undefined {
    return this.pending[0];
  }

  /** Takes the oldest reply waiting for the widget out of the queue. */
  take(): InboundMessage | undefined {
    return this.pending.shift();
  }

  /** Once the execution has its first state: the messages that came before it, each recorded as warning 81002. */
  warnEarly(state: ExecutionState): ExecutionState {
    let result = state;
    for (const message of this.early.splice(0)) {
      result = warn(result, `message ${message.MessageSid} arrived before the execution's first widget ran; it was ignored`, this.clock);
    }
    return result;
  }

  /** After a widget took its reply: later messages that arrived for it are not carried to the next widget. */
  settle(state: ExecutionState): ExecutionState {
    let result = state;
    for (const message of this.pending.splice(0)) {
      result = warn(result, `message ${message.MessageSid} arrived after the waiting widget had its reply; it was ignored`, this.clock);
    }
    return result;
  }

  /** Records a delivery that is handled elsewhere (passed to a subflow); false when it was seen before. */
  claim(message: InboundMessage): boolean {
    if (this.seenSet.has(message.MessageSid)) return false;
    this.remember(message.MessageSid);
    return true;
  }

  /** True when the MessageSid reached the execution before (delivered, passed on, or read back). */
  hasSeen(messageSid: string): boolean {
    return this.seenSet.has(messageSid);
  }

  seenSids(): string[] {
    return [...this.seen];
  }

  private remember(sid: string): void {
    this.seen.push(sid);
    this.seenSet.add(sid);
    if (this.seen.length > REMEMBERED_SIDS) this.seenSet.delete(this.seen.shift()!);
  }
}

/** Kept with the execution (the getExecution query) and logged, so operators see ignored replies in the log too. */
function warn(state: ExecutionState, message: string, clock: Clock): ExecutionState {
  log.warn(`reply ignored: ${message}`, { code: UNEXPECTED_EVENT });
  const warnings = [...state.warnings, { code: UNEXPECTED_EVENT, message, date: clock.now() }].slice(-KEPT_WARNINGS);
  return { ...state, warnings };
}
