// A phone for local play against the emulator: start a flow as the REST trigger does, text its number as a contact,
// and chat in the conversation the execution opened. The contact's messages reach the product the way Twilio would
// deliver them: the emulator creates them and calls the flow's webhook, signed.
import { useState } from 'preact/hooks';
import { ExecutionDetail } from './execution.js';
import { call, ErrorLine, html, useLoad, withQuery } from './lib.js';

/** The emulator's endpoints, through the API's pass-through (the browser's credentials are for the API's origin). */
const EMULATOR = '/console/emulator';

/** Pages of the account's messages one refresh of an SMS thread reads at most (100 each, the 2010 API's largest). */
const MAX_PAGES = 5;
/** How far before the phone's first action an SMS thread begins: room for the browser's clock to run ahead of the emulator's. */
const CLOCK_ALLOWANCE_MS = 5000;

/** A time as the 2010 API's `DateSent` filters take it, to the second (`2026-11-25T15:00:00Z`). */
const toSecond = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * The thread's messages, oldest first: the conversation's; or else the SMS between the contact and the number, both
 * ways, sent since the thread began (`since`, to the second). One listing of the account, not one per direction:
 * the emulator lists messages in the order it took them (newest first), while their dates are to the second, which
 * cannot order the contact's text and the replies it got within that second.
 */
async function loadThread({ accountSid, conversationSid, contact, number, since }) {
  if (conversationSid) {
    const page = await call(withQuery(`${EMULATOR}/v1/Conversations/${conversationSid}/Messages`, { Order: 'asc', PageSize: 100 }));
    return page.messages.map((m) => ({ key: m.sid, body: m.body ?? '', mine: m.author === contact, author: m.author }));
  }
  if (!contact || !number || since === undefined) return [];
  const listed = [];
  let uri = withQuery(`/2010-04-01/Accounts/${accountSid}/Messages.json`, { 'DateSent>': toSecond(since - CLOCK_ALLOWANCE_MS), PageSize: 100 });
  for (let pages = 0; uri && pages < MAX_PAGES; pages++) {
    const page = await call(`${EMULATOR}${uri}`);
    listed.push(...page.messages);
    uri = page.next_page_uri;
  }
  return listed
    .filter((m) => (m.from === contact && m.to === number) || (m.from === number && m.to === contact))
    .reverse()
    .map((m) => ({ key: m.sid, body: m.body ?? '', mine: m.from === contact, author: m.from }));
}

/**
 * The active execution of the flow for `address`, once the API lists it: the contact's number for a text to a number,
 * the conversation's SID for a conversation that the text opened (Studio's contact for a conversation trigger).
 */
async function findExecution(flowSid, address) {
  const page = await call(withQuery(`/v2/Flows/${flowSid}/Executions`, { Status: 'active', PageSize: 50 }));
  return page.executions.find((e) => e.contact_channel_address === address)?.sid;
}

/** True while the execution runs: a text outside a conversation reaches it then, else it starts another one. */
async function isActive(flowSid, sid) {
  return sid !== undefined && (await call(`/v2/Flows/${flowSid}/Executions/${sid}`)).status === 'active';
}

export function Phone({ settings, initialFlow }) {
  const flows = useLoad(() => call('/v2/Flows?PageSize=100'), []);
  const [flowSid, setFlowSid] = useState(initialFlow ?? '');
  const [contact, setContact] = useState('+15551230000');
  const [number, setNumber] = useState('+15559870000');
  const [parameters, setParameters] = useState('{}');
  // The execution the phone follows to its end: the one Start created, or the one the contact's text started (looked
  // for after each text that may have started one, until the API lists it as active).
  const [executionSid, setExecutionSid] = useState(undefined);
  const [texts, setTexts] = useState(0);
  // The conversation the emulator routed the contact's texts into, if it did; when the SMS thread began (epoch ms).
  const [textedConversation, setTextedConversation] = useState(undefined);
  const [since, setSince] = useState(undefined);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState(undefined);
  const chosen = flowSid || flows.data?.flows[0]?.sid || '';

  // The conversation the execution opened (flow.channel), looked for while it runs without one.
  const execution = useLoad(async () => {
    if (!executionSid) {
      if (!chosen || texts === 0) return undefined;
      const found = await findExecution(chosen, textedConversation ?? contact);
      if (found) setExecutionSid(found);
      return { searching: true };
    }
    const base = `/v2/Flows/${chosen}/Executions/${executionSid}`;
    const [record, { context }] = await Promise.all([call(base), call(`${base}/Context`)]);
    const channel = context?.flow?.channel;
    return { active: record.status === 'active', conversationSid: typeof channel?.sid === 'string' && channel.sid.startsWith('CH') ? channel.sid : undefined };
  }, [chosen, executionSid, texts, textedConversation], { everyMs: 1000, keepPolling: (d) => d.searching || (d.active && !d.conversationSid) });
  const conversationSid = execution.data?.conversationSid ?? textedConversation;
  const thread = useLoad(() => loadThread({ accountSid: settings.accountSid, conversationSid, contact, number, since }), [conversationSid, contact, number, since], { everyMs: 1000 });

  const start = async (e) => {
    e.preventDefault();
    setError(undefined);
    try {
      JSON.parse(parameters);
      const startedAt = Date.now();
      const created = await call(`/v2/Flows/${chosen}/Executions`, { method: 'POST', form: { To: contact, From: number, Parameters: parameters } });
      reset();
      setSince(startedAt);
      setExecutionSid(created.sid);
    } catch (err) {
      setError(err);
    }
  };
  const send = async (e) => {
    e.preventDefault();
    if (!draft) return;
    setError(undefined);
    try {
      if (conversationSid) {
        // As the participant: the header makes the emulator fire onMessageAdded at the flow's webhook, signed.
        await call(`${EMULATOR}/v1/Conversations/${conversationSid}/Messages`, {
          method: 'POST',
          form: { Author: contact, Body: draft },
          headers: { 'X-Twilio-Webhook-Enabled': 'true' },
        });
      } else {
        if (since === undefined) setSince(Date.now());
        // Studio hands a text to the contact's active execution; with none, the text starts one.
        const followed = await isActive(chosen, executionSid);
        // A contact texting the number: the emulator routes it as Twilio does (into a conversation, one an address
        // configuration creates, or to the number's SmsUrl) and says which; a conversation becomes the thread.
        const routed = await call(`${EMULATOR}/_emulator/inbound`, { method: 'POST', form: { From: contact, To: number, Body: draft } });
        if (routed?.conversation_sid) setTextedConversation(routed.conversation_sid);
        if (!followed || routed?.route === 'address-configuration') {
          setExecutionSid(undefined);
          setTexts(texts + 1);
        }
      }
      setDraft('');
    } catch (err) {
      setError(err);
    }
  };
  function reset() {
    setExecutionSid(undefined);
    setTexts(0);
    setTextedConversation(undefined);
    setSince(undefined);
    setError(undefined);
  }

  return html`<section class="phone-page">
    <div class="phone">
      <form class="phone-setup" onSubmit=${start}>
        <label>Flow <select name="flow" value=${chosen} onChange=${(e) => { setFlowSid(e.currentTarget.value); reset(); }}>
          ${(flows.data?.flows ?? []).map((f) => html`<option key=${f.sid} value=${f.sid}>${f.friendly_name}</option>`)}
        </select></label>
        <label>Contact (To) <input name="to" value=${contact} onInput=${(e) => setContact(e.currentTarget.value)} /></label>
        <label>Number (From) <input name="from" value=${number} onInput=${(e) => setNumber(e.currentTarget.value)} /></label>
        <label>Parameters (JSON) <textarea name="parameters" rows="2" value=${parameters} onInput=${(e) => setParameters(e.currentTarget.value)} /></label>
        <div class="row"><button type="submit" name="start">Start (REST trigger)</button><button type="button" onClick=${reset}>New thread</button></div>
      </form>
      <${ErrorLine} error=${error ?? flows.error ?? thread.error} />
      <div class="thread-head">${conversationSid ? `Conversation ${conversationSid}` : `SMS between ${contact} and ${number}`}</div>
      <ol class="thread" aria-live="polite">
        ${(thread.data ?? []).map((m) => html`<li key=${m.key} class=${m.mine ? 'msg from-contact' : 'msg from-flow'} data-author=${m.author}>${m.body}</li>`)}
      </ol>
      <form class="composer" onSubmit=${send}>
        <input name="body" placeholder=${conversationSid ? 'Reply in the conversation' : 'Text the number'} value=${draft} onInput=${(e) => setDraft(e.currentTarget.value)} />
        <button type="submit" name="send">Send</button>
      </form>
    </div>
    <div class="phone-side">
      ${executionSid ? html`<${ExecutionDetail} key=${executionSid} flowSid=${chosen} sid=${executionSid} settings=${settings} />` : html`<p class="muted">Start the flow or text its number; the execution's path lights up here.</p>`}
    </div>
  </section>`;
}
