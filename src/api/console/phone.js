// A phone for local play against the emulator: start a flow as the REST trigger does, text its number as a contact,
// and chat in the conversation the execution opened. The contact's messages reach the product the way Twilio would
// deliver them: the emulator creates them and calls the flow's webhook, signed.
import { useState } from 'preact/hooks';
import { ExecutionDetail } from './execution.js';
import { call, ErrorLine, html, useLoad, withQuery } from './lib.js';

/** The emulator's endpoints, through the API's pass-through (the browser's credentials are for the API's origin). */
const EMULATOR = '/console/emulator';

/**
 * The thread's messages, oldest first: the conversation's; or else the SMS between the contact and the number, both
 * ways (the emulator lists the contact's texts as inbound Messaging messages, the flow's as outbound ones).
 */
async function loadThread({ accountSid, conversationSid, contact, number }) {
  if (conversationSid) {
    const page = await call(withQuery(`${EMULATOR}/v1/Conversations/${conversationSid}/Messages`, { Order: 'asc', PageSize: 100 }));
    return page.messages.map((m) => ({ key: m.sid, body: m.body ?? '', mine: m.author === contact, author: m.author, at: Date.parse(m.date_created) }));
  }
  if (!contact || !number) return [];
  const list = (query) => call(withQuery(`${EMULATOR}/2010-04-01/Accounts/${accountSid}/Messages.json`, { ...query, PageSize: 100 }));
  const [toContact, fromContact] = await Promise.all([list({ To: contact, From: number }), list({ From: contact, To: number })]);
  return [...toContact.messages, ...fromContact.messages]
    .map((m) => ({ key: m.sid, body: m.body ?? '', mine: m.from === contact, author: m.from, at: Date.parse(m.date_created) }))
    .sort((a, b) => a.at - b.at);
}

/** The execution the contact's text started, once the API lists it as active. */
async function findExecution(flowSid, contact) {
  const page = await call(withQuery(`/v2/Flows/${flowSid}/Executions`, { Status: 'active', PageSize: 50 }));
  return page.executions.find((e) => e.contact_channel_address === contact)?.sid;
}

export function Phone({ settings, initialFlow }) {
  const flows = useLoad(() => call('/v2/Flows?PageSize=100'), []);
  const [flowSid, setFlowSid] = useState(initialFlow ?? '');
  const [contact, setContact] = useState('+15551230000');
  const [number, setNumber] = useState('+15559870000');
  const [parameters, setParameters] = useState('{}');
  const [executionSid, setExecutionSid] = useState(undefined);
  // Texts sent to the number so far (the execution one of them started is looked for after each), and the
  // conversation the emulator routed them into, if it did.
  const [texts, setTexts] = useState(0);
  const [textedConversation, setTextedConversation] = useState(undefined);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState(undefined);
  const chosen = flowSid || flows.data?.flows[0]?.sid || '';

  // The conversation the execution opened (flow.channel), until there is one; after a text, the execution it started.
  const execution = useLoad(async () => {
    if (!executionSid) return chosen && texts > 0 ? { sid: await findExecution(chosen, contact), conversationSid: textedConversation } : undefined;
    const { context } = await call(`/v2/Flows/${chosen}/Executions/${executionSid}/Context`);
    const channel = context?.flow?.channel;
    return { sid: executionSid, conversationSid: typeof channel?.sid === 'string' && channel.sid.startsWith('CH') ? channel.sid : undefined };
  }, [chosen, executionSid, texts, textedConversation], { everyMs: 1000, keepPolling: (d) => !d || !d.sid || !d.conversationSid });
  const liveSid = executionSid ?? execution.data?.sid;
  const conversationSid = execution.data?.conversationSid ?? textedConversation;
  const thread = useLoad(() => loadThread({ accountSid: settings.accountSid, conversationSid, contact, number }), [conversationSid, contact, number], { everyMs: 1000 });

  const start = async (e) => {
    e.preventDefault();
    setError(undefined);
    try {
      JSON.parse(parameters);
      const created = await call(`/v2/Flows/${chosen}/Executions`, { method: 'POST', form: { To: contact, From: number, Parameters: parameters } });
      reset();
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
        // A contact texting the number: the emulator routes it as Twilio does (into a conversation, one an address
        // configuration creates, or to the number's SmsUrl) and says which; a conversation becomes the thread.
        const routed = await call(`${EMULATOR}/_emulator/inbound`, { method: 'POST', form: { From: contact, To: number, Body: draft } });
        if (routed?.conversation_sid) setTextedConversation(routed.conversation_sid);
        setTexts(texts + 1);
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
      ${liveSid ? html`<${ExecutionDetail} key=${liveSid} flowSid=${chosen} sid=${liveSid} settings=${settings} />` : html`<p class="muted">Start the flow or text its number; the execution's path lights up here.</p>`}
    </div>
  </section>`;
}
