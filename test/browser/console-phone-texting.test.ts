import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { type InboundExample, wireExampleChannels } from '../../scripts/lib/example-channels';
import { createTwilioClient } from '../../src/activities/twilio/twilio-client';
import { PROJECT_ROOT } from '../../src/project-root';
import { contactNumbers } from '../helpers/contacts';
import { exampleFlow, publish } from '../helpers/flows';
import { fill, launchBrowser, openConsole, say, threadMessages, waitForText } from '../helpers/browser';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let browser: Browser;
const nextContact = contactNumbers('+1555720');
/** The inbound example flows, published under new SIDs and wired as `npm start` wires them. */
const examples: Record<string, InboundExample & { readonly address: string }> = {};

beforeAll(async () => {
  stack = await startStack('console-phone-texting');
  const index = JSON.parse(readFileSync(join(PROJECT_ROOT, 'flows', 'index.json'), 'utf8')) as { flows: Array<InboundExample & { file: string }> };
  for (const file of ['sms-menu-bot.json', 'web-chat-to-flex.json']) {
    const { friendly_name, inbound } = index.flows.find((f) => f.file === file)!;
    const sid = await publish(stack.client.studio.v2, exampleFlow(file), friendly_name);
    examples[file] = { sid, friendly_name, inbound, address: inbound!.address };
  }
  await wireExampleChannels(createTwilioClient(stack.config.twilio), stack.config, Object.values(examples));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});


/** Opens the phone on the flow, with the contact's number and the number texted typed in. */
async function phoneFor(flowSid: string, contact: string, number: string) {
  const opened = await openConsole(browser, stack, `#/phone?flow=${flowSid}`);
  await opened.page.waitForSelector(`select[name=flow] option[value="${flowSid}"]`);
  await fill(opened.page, 'input[name=to]', contact);
  await fill(opened.page, 'input[name=from]', number);
  return opened;
}

const takenArrows = (page: Page) => page.$$eval('g.arrow.taken', (gs) => gs.map((g) => `${g.getAttribute('data-from')} ${g.getAttribute('data-event')} ${g.getAttribute('data-to')}`));
const visitedWidgets = (page: Page) => page.$$eval('g.widget.visited', (gs) => gs.map((g) => g.getAttribute('data-widget')));
const stepNames = (page: Page) => page.$$eval('ol.steps > li.step', (lis) => lis.map((li) => `${li.getAttribute('data-from')}→${li.getAttribute('data-to')}`));

describe('the phone, texting a number as a contact', () => {
  test('a person plays the SMS menu bot by texting its number: the replies come in order and the path lights up to its end', async () => {
    const { sid: flowSid, address } = examples['sms-menu-bot.json']!;
    const contact = nextContact();
    const { page, requests, errors } = await phoneFor(flowSid, contact, address);
    const menu = 'Hi! Reply 1 for opening hours, 2 for order status, 0 to stop.';

    // No execution exists yet: Send texts the number, and the text starts one.
    await say(page, 'hi', 2);
    await waitForText(page, 'ol.thread li.msg.from-flow', menu);
    await page.waitForSelector('g.widget.current[data-widget="menu"]');
    // The opening hours and the menu again, sent within the second of the contact's "1", come after it, in order.
    await say(page, '1', 5);
    await say(page, '0', 7);
    await waitForText(page, '[data-execution-status]', 'ended');

    expect(await threadMessages(page)).toEqual([
      'contact: hi',
      `flow: ${menu}`,
      'contact: 1',
      'flow: We are open Monday to Friday, 9:00 to 17:00.',
      `flow: ${menu}`,
      'contact: 0',
      'flow: Bye! Text us any time.',
    ]);
    expect(await page.$eval('.thread-head', (el) => el.textContent)).toBe(`SMS between ${contact} and ${address}`);
    expect((await visitedWidgets(page)).sort()).toEqual(['Trigger', 'goodbye', 'hours', 'menu', 'route'].sort());
    expect(await page.$$('g.widget.current')).toHaveLength(0);
    expect((await takenArrows(page)).sort()).toEqual(
      ['Trigger incomingMessage menu', 'menu incomingMessage route', 'route match hours', 'hours sent menu', 'route match goodbye'].sort(),
    );
    expect(await stepNames(page)).toEqual(['Trigger→menu', 'menu→route', 'route→hours', 'hours→menu', 'menu→route', 'route→goodbye', 'goodbye→Ended']);
    expect(await page.$eval('section.execution header', (el) => el.textContent)).toContain(`contact ${contact}`);
    expect(requests.filter((url) => !url.startsWith(`${stack.api.url}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('a person texts the web chat’s number: the conversation its address configuration creates becomes the thread, and the path follows it to Flex', async () => {
    const { sid: flowSid, address } = examples['web-chat-to-flex.json']!;
    const contact = nextContact();
    const { page, requests, errors } = await phoneFor(flowSid, contact, address);

    await say(page, 'My parcel is late', 3);
    await waitForText(page, 'ol.thread li.msg.from-flow', 'In a few words, what is your question about?');
    await page.waitForSelector('g.widget.current[data-widget="ask_topic"]');
    const head = await page.$eval('.thread-head', (el) => el.textContent ?? '');
    expect(head).toMatch(/^Conversation CH[0-9a-f]{32}$/);
    // Now in the conversation: the answer is the participant's message, delivered to the flow's webhook.
    await say(page, 'delivery', 4);
    await waitForText(page, '[data-execution-status]', 'ended');

    expect(await threadMessages(page)).toEqual([
      'contact: My parcel is late',
      'flow: Hi, thanks for getting in touch! A bot here first, then one of our agents.',
      'flow: In a few words, what is your question about?',
      'contact: delivery',
    ]);
    const conversationSid = head.slice('Conversation '.length);
    expect(await page.$eval('section.execution header', (el) => el.textContent)).toContain(`contact ${conversationSid}`);
    expect((await visitedWidgets(page)).sort()).toEqual(['Trigger', 'ask_topic', 'greet', 'to_agent'].sort());
    expect((await takenArrows(page)).sort()).toEqual(['Trigger incomingConversationMessage greet', 'greet sent ask_topic', 'ask_topic incomingMessage to_agent'].sort());
    expect((await stepNames(page)).at(-1)).toBe('to_agent→Ended');
    expect(requests.filter((url) => !url.startsWith(`${stack.api.url}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
