// The flows list, and one flow: its canvas (any revision) and its executions.
import { useState } from 'preact/hooks';
import { Canvas } from './canvas.js';
import { call, ErrorLine, html, useLoad, withQuery } from './lib.js';

/** Name, status, revision and validity of every flow (GET /v2/Flows). */
export function FlowsList() {
  const { data, error } = useLoad(() => call('/v2/Flows?PageSize=100'), []);
  return html`<section>
    <h1>Flows</h1>
    <${ErrorLine} error=${error} />
    ${data && html`<table class="list flows">
      <thead><tr><th>Name</th><th>SID</th><th>Status</th><th>Revision</th><th>Validity</th></tr></thead>
      <tbody>${data.flows.map((flow) => html`<tr key=${flow.sid} data-flow=${flow.sid}>
        <td><a href=${`#/flows/${flow.sid}`}>${flow.friendly_name}</a></td>
        <td class="sid">${flow.sid}</td>
        <td>${flow.status}</td>
        <td>${flow.revision}</td>
        <td>${flow.valid ? 'valid' : 'invalid'}${flow.warnings?.length ? ` · ${flow.warnings.length} warning${flow.warnings.length > 1 ? 's' : ''}` : ''}</td>
      </tr>`)}</tbody>
    </table>`}
    ${data && data.flows.length === 0 ? html`<p class="muted">No flows yet.</p>` : null}
  </section>`;
}

/** One flow: revision picker, canvas with its issues, and its executions. */
export function FlowPage({ sid, revision }) {
  const flow = useLoad(() => call(`/v2/Flows/${sid}`), [sid]);
  const revisions = useLoad(() => call(`/v2/Flows/${sid}/Revisions?PageSize=100`), [sid]);
  const picked = revision && flow.data && Number(revision) !== flow.data.revision ? Number(revision) : undefined;
  const old = useLoad(() => (picked ? call(`/v2/Flows/${sid}/Revisions/${picked}`) : Promise.resolve(undefined)), [sid, picked]);
  const shown = picked ? old.data : flow.data;
  const issues = shown ? [...(shown.errors ?? []), ...(shown.warnings ?? [])] : [];
  return html`<section>
    <${ErrorLine} error=${flow.error ?? old.error} />
    ${flow.data && html`<header class="flow-head">
      <h1>${flow.data.friendly_name}</h1>
      <span class="sid">${sid}</span>
      <label>Revision <select class="revision" value=${String(picked ?? flow.data.revision)}
        onChange=${(e) => { location.hash = `#/flows/${sid}?revision=${e.currentTarget.value}`; }}>
        ${(revisions.data?.revisions ?? [{ revision: flow.data.revision, status: flow.data.status }]).map((r) =>
          html`<option key=${r.revision} value=${String(r.revision)}>${r.revision} (${r.status})${r.commit_message ? ` · ${r.commit_message}` : ''}</option>`)}
      </select></label>
      <span class="badge">${shown?.status ?? ''}</span>
      <span class=${shown?.valid === false ? 'badge bad' : 'badge ok'}>${shown?.valid === false ? 'invalid' : 'valid'}</span>
    </header>`}
    ${issues.length > 0 && html`<ul class="issues">${issues.map((i, n) => html`<li key=${n}><code>${i.property_path}</code> ${i.message}</li>`)}</ul>`}
    ${shown?.definition && html`<${Canvas} definition=${shown.definition} issues=${issues} />`}
    <${ExecutionsList} flowSid=${sid} />
  </section>`;
}

/** A datetime-local value (the browser's zone) as the ISO 8601 instant the API's date filters take. */
const isoOf = (local) => (local ? new Date(local).toISOString() : undefined);

/** A flow's executions with the API's filters: Status, DateCreatedFrom, DateCreatedTo. */
function ExecutionsList({ flowSid }) {
  const [filters, setFilters] = useState({ status: '', from: '', to: '' });
  const query = { PageSize: 50, Status: filters.status, DateCreatedFrom: isoOf(filters.from), DateCreatedTo: isoOf(filters.to) };
  const { data, error } = useLoad(() => call(withQuery(`/v2/Flows/${flowSid}/Executions`, query)), [flowSid, filters.status, filters.from, filters.to], { everyMs: 3000 });
  const set = (key) => (e) => setFilters({ ...filters, [key]: e.currentTarget.value });
  return html`<section class="executions">
    <h2>Executions</h2>
    <form class="filters" onSubmit=${(e) => e.preventDefault()}>
      <label>Status <select name="status" value=${filters.status} onChange=${set('status')}>
        <option value="">any</option><option value="active">active</option><option value="ended">ended</option>
      </select></label>
      <label>Created from <input type="datetime-local" name="from" value=${filters.from} onChange=${set('from')} /></label>
      <label>to <input type="datetime-local" name="to" value=${filters.to} onChange=${set('to')} /></label>
    </form>
    <${ErrorLine} error=${error} />
    ${data && html`<table class="list">
      <thead><tr><th>Execution</th><th>Contact</th><th>Status</th><th>Revision</th><th>Created</th></tr></thead>
      <tbody>${data.executions.map((e) => html`<tr key=${e.sid} data-execution=${e.sid}>
        <td><a href=${`#/flows/${flowSid}/executions/${e.sid}`}>${e.sid}</a></td>
        <td>${e.contact_channel_address}</td><td>${e.status}</td><td>${e.flow_version}</td><td>${e.date_created}</td>
      </tr>`)}</tbody>
    </table>`}
    ${data && data.executions.length === 0 ? html`<p class="muted">No executions match.</p>` : null}
  </section>`;
}
