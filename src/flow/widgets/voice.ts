import { notRun, type WidgetFacts } from './widget-handler';

/**
 * Studio's voice widgets, known so that flows containing them validate (with a warning naming the widget) and not
 * run: an execution that reaches one ends with an error naming its type. Declared together because they share
 * every fact but their events.
 */
export const voiceWidgets: readonly WidgetFacts[] = [
  notRun('say-play', 'audioComplete'),
  notRun('gather-input-on-call', 'keypress', 'speech', 'timeout'),
  notRun('connect-call-to', 'callCompleted', 'hangup'),
  notRun('make-outgoing-call-v2', 'answered', 'busy', 'noAnswer', 'failed'),
  notRun('make-outgoing-call-v1', 'answered', 'busy', 'noAnswer', 'failed'),
  notRun('enqueue-call', 'callComplete', 'failedToEnqueue', 'callFailure'),
  notRun('record-voicemail', 'recordingComplete', 'noAudio', 'hangup'),
  notRun('record-call', 'success', 'failed'),
  notRun('add-twiml-redirect', 'return', 'timeout', 'fail'),
  notRun('capture-payments', 'success', 'maxFailedAttempts', 'providerError', 'payInterrupted', 'hangup', 'validationError'),
  notRun('fork-stream', 'next'),
  notRun('connect-virtual-agent', 'completed', 'live-agent-handoff', 'hangup', 'failed', 'paused', 'timeout'),
  notRun('connect-virtual-agent-v2', 'completed', 'live-agent-handoff', 'hangup', 'failed', 'paused', 'timeout'),
  notRun('run-conversation-relay', 'success', 'failed'),
];
