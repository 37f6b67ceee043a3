import { notRun, type WidgetFacts } from './widget-handler';

/**
 * resume-conversation: known to Studio, not run here (it answers an incoming conversation, and incoming message
 * triggers are not run either). A flow with one validates with a warning; an execution that reaches it ends.
 */
export const resumeConversationWidget: WidgetFacts = notRun('resume-conversation', 'resumed', 'failed');
