// One execution: its path lit on the flow's canvas, its steps with what each wrote, its context, errors and warnings.
import { useState } from 'preact/hooks';
import { Canvas, pathOf } from './canvas.js';
import { call, ErrorLine, html, json, useLoad } from './lib.js';

/** Everything the page shows of an execution, read in one go (polled while it is active). */
async function loadExecution(flowSid, sid) {
  const base = `/v2/Flows/${flowSid}/Executions/${sid}`;
  // The execution first, the rest after: read together, the steps could be from just before its end, and polling
  // stops once it reads ended, which would leave the last step out for good.
  const execution = await call(base);
  const [steps, context, warnings] = await Promise.all([
    call(`${base}/Steps?PageSize=1000`),
    call(`${base}/Context`),
    call(`/console/api/Flows/${flowSid}/Executions/${sid}/Warnings`),
  ]);
  return { execution, steps: steps.steps, context: context.context, warnings: warnings.warnings };
}

/** The whole context after a step, loaded when the reader opens it (Studio's Step Context). */
function StepContext({ flowSid, sid, stepSid }) {
  const { data, error } = useLoad(() => call(`/v2/Flows/${flowSid}/Executions/${sid}/Steps/${stepSid}/Context`), [stepSid]);
  return html`<div><${ErrorLine} error=${error} />${data ? html`<pre class="json">${json(data.context)}</pre>` : html`<p class="muted">Loading…</p>`}</div>`;
}

/** The places a step wrote to, two levels deep (`widgets.ask_rating`, `flow.variables`), for its one-line summary. */
function writtenPaths(context) {
  return Object.entries(context).flatMap(([key, value]) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).map((inner) => `${key}.${inner}`) : [key]);
}

function Step({ step, children, flowSid, sid }) {
  const [open, setOpen] = useState(false);
  const kids = children.get(step.sid) ?? [];
  const wrote = step.context && Object.keys(step.context).length > 0;
  return html`<li class="step" data-step=${step.sid} data-from=${step.transitioned_from} data-to=${step.transitioned_to}>
    <div class="step-head"><b>${step.transitioned_from}</b> —${step.name}→ <b>${step.transitioned_to}</b> <span class="muted">${step.date_created}</span></div>
    ${wrote ? html`<details class="wrote"><summary>wrote ${writtenPaths(step.context).join(', ')}</summary><pre class="json">${json(step.context)}</pre></details>` : null}
    <details class="after" onToggle=${(e) => setOpen(e.currentTarget.open)}><summary>context after this step</summary>
      ${open ? html`<${StepContext} flowSid=${flowSid} sid=${sid} stepSid=${step.sid} />` : null}
    </details>
    ${kids.length > 0 ? html`<ol class="child-steps" data-parent-step=${step.sid}>${kids.map((kid) =>
      html`<${Step} key=${kid.sid} step=${kid} children=${children} flowSid=${flowSid} sid=${sid} />`)}</ol>` : null}
  </li>`;
}

/** The steps in order; a subflow's steps under the parent step that ran it (their parent_step_sid). */
function Steps({ steps, flowSid, sid }) {
  const children = new Map();
  for (const step of steps) {
    if (!step.parent_step_sid) continue;
    children.set(step.parent_step_sid, [...(children.get(step.parent_step_sid) ?? []), step]);
  }
  const top = steps.filter((s) => !s.parent_step_sid);
  return html`<ol class="steps">${top.map((step) => html`<${Step} key=${step.sid} step=${step} children=${children} flowSid=${flowSid} sid=${sid} />`)}</ol>`;
}

/** One execution, live: polled every second while active, once more when it ends. */
export function ExecutionDetail({ flowSid, sid, settings }) {
  const { data, error } = useLoad(() => loadExecution(flowSid, sid), [flowSid, sid], { everyMs: 1000, keepPolling: (d) => d.execution.status === 'active' });
  const version = data?.execution.flow_version;
  const revision = useLoad(() => (version ? call(`/v2/Flows/${flowSid}/Revisions/${version}`) : Promise.resolve(undefined)), [flowSid, version]);
  if (!data) return html`<${ErrorLine} error=${error} />${error ? null : html`<p class="muted">Loading…</p>`}`;
  const { execution, steps, context, warnings } = data;
  const active = execution.status === 'active';
  const temporalUrl = settings && `${settings.temporalUiUrl}/namespaces/${encodeURIComponent(settings.namespace)}/workflows/${sid}`;
  return html`<section class="execution" data-status=${execution.status}>
    <header class="flow-head">
      <h2>Execution <span class="sid">${sid}</span></h2>
      <span class=${active ? 'badge live' : 'badge'} data-execution-status>${execution.status}</span>
      <span>contact ${execution.contact_channel_address}</span>
      <span>revision ${execution.flow_version}</span>
      ${temporalUrl ? html`<a class="temporal-link" href=${temporalUrl} target="_blank" rel="noopener noreferrer">Workflow in the Temporal UI</a>` : null}
    </header>
    <${ErrorLine} error=${error ?? revision.error} />
    ${context?.flow?.error ? html`<p class="flow-error" role="alert">flow.error ${context.flow.error.code}: ${context.flow.error.message}</p>` : null}
    ${warnings.length > 0 ? html`<ul class="warnings">${warnings.map((w, n) => html`<li key=${n}>warning ${w.code}: ${w.message}</li>`)}</ul>` : null}
    ${revision.data?.definition ? html`<${Canvas} definition=${revision.data.definition} path=${pathOf(steps, active)} />` : null}
    <div class="columns">
      <div><h3>Steps</h3><${Steps} steps=${steps} flowSid=${flowSid} sid=${sid} /></div>
      <div><h3>Context</h3><pre class="json execution-context">${json(context)}</pre></div>
    </div>
  </section>`;
}
