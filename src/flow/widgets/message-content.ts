import type { ContentVariables, SendMessageProperties } from '../definition';
import type { MessageContent } from '../effects';

/**
 * The Content template a send-message or send-and-wait-for-reply configured, rendered for Twilio's `ContentSid` and
 * `ContentVariables` (Messaging and Conversations alike); undefined when `content_sid` is unset or renders empty.
 * Studio stores the variables as a `[{key, value}]` list: each key and value is rendered (a key written `{{1}}`
 * renders to `1`, the template's placeholder number). An object (values rendered) is taken too, and text is rendered
 * and sent as it is: Twilio, not the flow, says when it is not the JSON object it takes (the widget then fails).
 */
export function renderContent(properties: SendMessageProperties, render: (template: string) => string): MessageContent | undefined {
  const sid = properties.content_sid ? render(properties.content_sid).trim() : '';
  if (sid === '') return undefined;
  const variables = renderVariables(properties.content_variables, render);
  return variables === undefined ? { sid } : { sid, variables };
}

/** The variables as the JSON text Twilio takes; undefined when none are set. */
function renderVariables(variables: ContentVariables | undefined, render: (template: string) => string): string | undefined {
  if (variables === undefined || variables === '') return undefined;
  if (typeof variables === 'string') return render(variables);
  const entries: Array<[string, string]> = Array.isArray(variables)
    ? (variables as ContentVariables & readonly unknown[]).map((item) => {
        const { key, value } = item as { key: string; value?: string };
        return [render(key).trim(), render(value ?? '')];
      })
    : Object.entries(variables as Readonly<Record<string, string>>).map(([key, value]) => [key, render(String(value))]);
  return entries.length === 0 ? undefined : JSON.stringify(Object.fromEntries(entries));
}
