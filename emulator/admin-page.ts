import type { ConversationRecord, DeliveryAttempt } from './records';
import type { StoreReader } from './store';
import { isoSeconds } from './time';

type Cell = string | number | null;

/** A small read-only HTML page of the emulator's state; every value is escaped. */
export function renderAdminPage(store: StoreReader, deliveries: readonly DeliveryAttempt[]): string {
  const services = [...store.services.values()].map((s) => [s.sid, s.friendlyName, isoSeconds(s.dateCreated)]);
  const sections = [
    section('Services', table(['SID', 'Friendly name', 'Created'], services)),
    section('Conversations', [...store.conversations.values()].map(conversation).join('') || '<p>None.</p>'),
    section('Phone numbers', phoneNumbersTable(store)),
    section('Address configurations', addressConfigurationsTable(store)),
    section('Messaging messages', messagingTable(store)),
    section('Flex interactions', interactionsTable(store)),
    section('Webhook deliveries', deliveriesTable(deliveries)),
  ];
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Twilio emulator</title>
<style>body{font-family:sans-serif;margin:1.5rem}table{border-collapse:collapse;margin:.5rem 0 1rem}
td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}code{font-size:.9em}</style>
</head><body><h1>Twilio emulator</h1>
<p>Default service <code>${escapeHtml(store.defaultServiceSid)}</code>
· <a href="/_emulator/state">state as JSON</a></p>
${sections.join('\n')}
</body></html>`;
}

function conversation(c: ConversationRecord): string {
  const participants = [...c.participants.values()].map((p) => [p.sid, p.identity, p.address, p.proxyAddress]);
  const webhooks = [...c.webhooks.values()].map((w) => [w.sid, w.target, w.url ?? w.flowSid, w.filters.join(', ')]);
  const messages = c.messages.map((m) => [m.index, m.author, m.body, isoSeconds(m.dateCreated)]);
  const title = [c.sid, c.uniqueName, c.friendlyName, c.state].filter((v) => v !== null).join(' · ');
  return `<h3>${escapeHtml(title)}</h3>
${table(['Participant', 'Identity', 'Address', 'Proxy address'], participants)}
${table(['Webhook', 'Target', 'URL / flow', 'Filters'], webhooks)}
${table(['#', 'Author', 'Body', 'Created'], messages)}`;
}

function messagingTable(store: StoreReader): string {
  const rows = [...store.messagingMessages.values()].map((m) => [
    m.sid,
    m.direction,
    m.from ?? m.messagingServiceSid,
    m.to,
    m.body,
    isoSeconds(m.dateCreated),
  ]);
  return table(['SID', 'Direction', 'From', 'To', 'Body', 'Created'], rows);
}

function phoneNumbersTable(store: StoreReader): string {
  const rows = [...store.incomingPhoneNumbers.values()].map((n) => [
    n.sid,
    n.phoneNumber,
    n.friendlyName,
    n.smsUrl === null ? null : `${n.smsMethod} ${n.smsUrl}`,
    n.voiceUrl,
  ]);
  return table(['SID', 'Number', 'Friendly name', 'SMS URL', 'Voice URL'], rows);
}

function addressConfigurationsTable(store: StoreReader): string {
  const rows = [...store.addressConfigurations.values()].map(({ sid, type, address, autoCreation: a }) => [
    sid,
    type,
    address,
    a.enabled ? a.type : 'off',
    a.type === 'studio' ? a.studioFlowSid : a.type === 'webhook' ? `${a.webhookMethod ?? 'POST'} ${a.webhookUrl ?? ''}` : null,
  ]);
  return table(['SID', 'Type', 'Address', 'Auto-creation', 'Target'], rows);
}

function interactionsTable(store: StoreReader): string {
  const rows = [...store.interactions.values()].map((i) => [
    i.sid,
    JSON.stringify(i.channel),
    JSON.stringify(i.routing),
    isoSeconds(i.dateCreated),
  ]);
  return table(['SID', 'Channel', 'Routing', 'Created'], rows);
}

function deliveriesTable(deliveries: readonly DeliveryAttempt[]): string {
  const rows = deliveries.map((d) => [
    isoSeconds(d.at),
    d.kind,
    d.webhookSid,
    d.messageSid,
    `${d.method} ${d.url}`,
    d.attempt,
    d.status ?? d.error,
    d.durationMs,
  ]);
  return table(['At', 'Kind', 'Webhook', 'Message', 'Request', 'Retry', 'Result', 'ms'], rows);
}

function section(title: string, body: string): string {
  return `<h2>${escapeHtml(title)}</h2>\n${body}`;
}

function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  if (rows.length === 0) return '<p>None.</p>';
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map(
    (row) => `<tr>${row.map((cell) => `<td>${escapeHtml(String(cell ?? ''))}</td>`).join('')}</tr>`,
  );
  return `<table><tr>${head}</tr>${body.join('')}</table>`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
