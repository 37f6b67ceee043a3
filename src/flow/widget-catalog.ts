/**
 * Every Studio widget type this product knows, with the transition events Studio allows for it and whether this
 * product runs it. Voice widgets are known (flows that contain them validate) but not run.
 */
export interface WidgetTypeInfo {
  readonly events: readonly string[];
  readonly runnable: boolean;
}

const run = (...events: string[]): WidgetTypeInfo => ({ events, runnable: true });
const known = (...events: string[]): WidgetTypeInfo => ({ events, runnable: false });

export const WIDGET_CATALOG: Readonly<Record<string, WidgetTypeInfo>> = {
  trigger: run('incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'),
  'set-variables': run('next'),
  'split-based-on': run('match', 'noMatch'),
  'make-http-request': run('success', 'failed'),
  'run-function': run('success', 'fail'),
  'send-message': run('sent', 'failed'),
  'send-and-wait-for-reply': run('incomingMessage', 'timeout', 'deliveryFailure'),
  'run-subflow': run('completed', 'failed'),
  'send-to-flex': run('callComplete', 'failedToEnqueue', 'callFailure'),
  'start-conversation': run('created', 'failed'),
  // Known to Studio, not run here: an execution that reaches one ends with an error naming the type.
  'resume-conversation': known('resumed', 'failed'),
  'say-play': known('audioComplete'),
  'gather-input-on-call': known('keypress', 'speech', 'timeout'),
  'connect-call-to': known('callCompleted', 'hangup'),
  'make-outgoing-call-v2': known('answered', 'busy', 'noAnswer', 'failed'),
  'make-outgoing-call-v1': known('answered', 'busy', 'noAnswer', 'failed'),
  'enqueue-call': known('callComplete', 'failedToEnqueue', 'callFailure'),
  'record-voicemail': known('recordingComplete', 'noAudio', 'hangup'),
  'record-call': known('success', 'failed'),
  'add-twiml-redirect': known('return', 'timeout', 'fail'),
  'capture-payments': known('success', 'maxFailedAttempts', 'providerError', 'payInterrupted', 'hangup', 'validationError'),
  'fork-stream': known('next'),
  'connect-virtual-agent': known('completed', 'live-agent-handoff', 'hangup', 'failed', 'paused', 'timeout'),
  'connect-virtual-agent-v2': known('completed', 'live-agent-handoff', 'hangup', 'failed', 'paused', 'timeout'),
  'run-conversation-relay': known('success', 'failed'),
};

export const WIDGET_TYPES = Object.keys(WIDGET_CATALOG);

export function isRunnableWidgetType(type: string): boolean {
  return WIDGET_CATALOG[type]?.runnable === true;
}
