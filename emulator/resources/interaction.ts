import type { InteractionRecord } from '../records';

/** The Flex interaction resource, on flex-api.twilio.com. */
export function renderInteraction(interaction: InteractionRecord): Record<string, unknown> {
  const url = `https://flex-api.twilio.com/v1/Interactions/${interaction.sid}`;
  return {
    sid: interaction.sid,
    channel: interaction.channel,
    routing: interaction.routing,
    url,
    links: { channels: `${url}/Channels` },
    interaction_context_sid: interaction.interactionContextSid,
    webhook_ttid: interaction.webhookTtid,
  };
}
