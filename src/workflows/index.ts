// The workflow bundle's entry: every workflow the worker runs is exported from here.
export { flowWorkflow } from './flows/flow-workflow';
export { flowRevisionWorkflow } from './flows/flow-revision-workflow';
export { executionWorkflow } from './execution/execution-workflow';
export { contactLockWorkflow } from './execution/contact-lock-workflow';
export { workerProbeWorkflow } from './worker-probe-workflow';
