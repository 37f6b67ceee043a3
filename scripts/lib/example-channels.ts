import type twilio from 'twilio';
import { type Config, flowWebhookUrl } from '../../src/config';
import type { ExampleInbound } from './example-flows';

/** An example flow that contacts can text: its SID, its name and how its number is wired (flows/index.json). */
export interface InboundExample {
  readonly sid: string;
  readonly friendly_name: string;
  readonly inbound?: ExampleInbound;
}

/** What {@link wireExampleChannels} pointed at a flow: the number texted, the resource (`PN…` or `IG…`) and the flow URL. */
export interface WiredChannel extends ExampleInbound {
  readonly flowSid: string;
  readonly friendlyName: string;
  readonly resourceSid: string;
  readonly flowUrl: string;
}

/**
 * Points a Twilio account (the emulator under `npm start`) at the example flows that declare `inbound`, as a user
 * wires a real account: an IncomingPhoneNumber whose `SmsUrl` (POST) is the flow's webhook URL, or a Conversations
 * address configuration whose auto-creation (type `webhook`, filter `onMessageAdded`) posts there. Idempotent: an
 * existing number or configuration for that address is updated, never duplicated.
 */
export async function wireExampleChannels(
  client: twilio.Twilio,
  config: Pick<Config, 'publicBaseUrl' | 'twilio'>,
  examples: readonly InboundExample[],
): Promise<WiredChannel[]> {
  const wired: WiredChannel[] = [];
  for (const example of examples) {
    if (!example.inbound) continue;
    const flowUrl = flowWebhookUrl(config, example.sid);
    const resourceSid =
      example.inbound.type === 'incoming-phone-number'
        ? await wirePhoneNumber(client, example.inbound.address, example.friendly_name, flowUrl)
        : await wireAddressConfiguration(client, example.inbound.address, example.friendly_name, flowUrl);
    wired.push({ ...example.inbound, flowSid: example.sid, friendlyName: example.friendly_name, resourceSid, flowUrl });
  }
  return wired;
}

async function wirePhoneNumber(client: twilio.Twilio, phoneNumber: string, friendlyName: string, smsUrl: string): Promise<string> {
  const numbers = client.incomingPhoneNumbers;
  const [existing] = (await numbers.list({ phoneNumber })).filter((n) => n.phoneNumber === phoneNumber);
  const settings = { friendlyName, smsUrl, smsMethod: 'POST' as const };
  const number = existing ? await numbers(existing.sid).update(settings) : await numbers.create({ phoneNumber, ...settings });
  return number.sid;
}

async function wireAddressConfiguration(client: twilio.Twilio, address: string, friendlyName: string, webhookUrl: string): Promise<string> {
  const configurations = client.conversations.v1.addressConfigurations;
  const [existing] = (await configurations.list({ type: 'sms' })).filter((c) => c.address === address);
  const autoCreation = {
    'autoCreation.enabled': true,
    'autoCreation.type': 'webhook' as const,
    'autoCreation.webhookUrl': webhookUrl,
    'autoCreation.webhookMethod': 'post' as const,
    'autoCreation.webhookFilters': ['onMessageAdded'],
  };
  const configuration = existing
    ? await configurations(existing.sid).update({ friendlyName, ...autoCreation })
    : await configurations.create({ type: 'sms', address, friendlyName, ...autoCreation });
  return configuration.sid;
}
