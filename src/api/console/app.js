// The console's shell: settings, navigation and a hash router (#/flows/FW…, #/flows/FW…/executions/FN…, #/phone).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ExecutionDetail } from './execution.js';
import { FlowPage, FlowsList } from './flows.js';
import { call, ErrorLine, html, useLoad } from './lib.js';
import { Phone } from './phone.js';

/** The route in the URL's fragment: its path segments and query. */
function readRoute() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  return { parts: path.split('/').filter(Boolean), query: new URLSearchParams(query) };
}

function useRoute() {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const onChange = () => setRoute(readRoute());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function Page({ route, settings }) {
  const [first, flowSid, sub, sid] = route.parts;
  if (first === 'phone' && settings.phone) return html`<${Phone} settings=${settings} initialFlow=${route.query.get('flow') ?? undefined} />`;
  if (first === 'flows' && flowSid && sub === 'executions' && sid) {
    return html`<p><a href=${`#/flows/${flowSid}`}>← flow</a></p><${ExecutionDetail} key=${sid} flowSid=${flowSid} sid=${sid} settings=${settings} />`;
  }
  if (first === 'flows' && flowSid) return html`<${FlowPage} key=${flowSid} sid=${flowSid} revision=${route.query.get('revision') ?? undefined} />`;
  return html`<${FlowsList} />`;
}

function App() {
  const route = useRoute();
  const { data: settings, error } = useLoad(() => call('/console/config.json'), []);
  return html`<div class="shell">
    <nav class="top">
      <a class="brand" href="#/">studio-temporal</a>
      <a href="#/">Flows</a>
      ${settings?.phone ? html`<a href="#/phone" class="phone-link">Phone (emulator)</a>` : null}
      ${settings ? html`<span class="muted account">${settings.accountSid}</span>` : null}
    </nav>
    <main>
      <${ErrorLine} error=${error} />
      ${settings ? html`<${Page} route=${route} settings=${settings} />` : null}
    </main>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
