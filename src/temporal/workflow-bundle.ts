import type { Logger } from '@temporalio/common';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** Path of the workflow bundle's entry module. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/** webpack's per-module report is noise at start-up; its warnings and errors are not. */
const bundlerLogger: Logger = {
  log: (level, message) => (level === 'WARN' || level === 'ERROR' ? process.stderr.write(`workflow bundler: ${message}\n`) : undefined),
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message) => void process.stderr.write(`workflow bundler: ${message}\n`),
  error: (message) => void process.stderr.write(`workflow bundler: ${message}\n`),
};

/** Bundles src/workflows for the sandbox (about a second); done once per process. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: bundlerLogger });
}
