/**
 * Preloaded into the worker's workflow context unless WORKFLOW_STACK_TRACES is on (see worker/workflow-bundle.ts).
 * The Temporal SDK captures and source-maps a stack trace for every promise a workflow creates (for the Temporal UI's
 * Stack Trace tab); in a conversation turn that was about a third of the workflow thread's CPU (README, "Where a turn
 * goes"). With no frames to capture the SDK's promise hook returns at once: a replay of a ten-turn conversation went
 * from 127 to 92 ms of CPU. What it costs: the Stack Trace tab is empty, and an error raised in workflow code carries
 * its message without frames (activities, which run outside the sandbox, keep theirs).
 */
Error.stackTraceLimit = 0;

/** Referenced by the bundle test: this module's only effect is the line above. */
export const WORKFLOW_STACK_TRACE_FRAMES = Error.stackTraceLimit;
