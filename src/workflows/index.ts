// The workflow bundle's entry: every workflow the worker runs is exported from here.
export { flowWorkflow } from './flows/flow-workflow';
export { flowRevisionWorkflow } from './flows/flow-revision-workflow';
export { executionWorkflow } from './execution/execution-workflow';
export { contactLockWorkflow } from './contracts/contact-lock';
export { replyRecordWorkflow } from './contracts/reply-record';
export { workerProbeWorkflow } from './worker-probe-workflow';
