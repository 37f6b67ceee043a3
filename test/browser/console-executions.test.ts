import type { Browser } from 'puppeteer-core';
import type { FlowDefinition } from '../../src/flow/definition';
import { contactNumbers } from '../helpers/contacts';
import { exampleFlow, publish, restFlow, waitUntilEnded } from '../helpers/flows';
import { launchBrowser, openConsole, type PageGlobals, waitForText } from '../helpers/browser';
import { startStack, type TestStack } from '../helpers/stack';
import { startHttpService } from '../helpers/http-service';
import { eventually } from '../helpers/wait';

let stack: TestStack;
let browser: Browser;
const nextContact = contactNumbers('+1555720');

beforeAll(async () => {
  stack = await startStack('console-executions');
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('an execution in the console', () => {
  test("a subflow's steps are shown under the parent step that ran it, with each step's context", async () => {
    const studio = stack.client.studio.v2;
    const childSid = await publish(studio, exampleFlow('subflow-child.json'), 'Child');
    const parent = exampleFlow('subflow-parent.json');
    const parentDefinition: FlowDefinition = {
      ...parent,
      states: parent.states.map((s) => (s.name === 'greet_contact' ? { ...s, properties: { ...s.properties, flow_sid: childSid } } : s)),
    };
    const parentSid = await publish(studio, parentDefinition, 'Parent');
    const to = nextContact();
    const { sid } = await studio.flows(parentSid).executions.create({ to, from: '+15559990000', parameters: { topic: 'Billing', order_id: '77' } });
    const conversation = await stack.conversationOf(sid);
    await eventually(async () => (conversation.messages.length > 0 ? true : undefined));
    await stack.reply(conversation.sid, to, 'Ada');
    await waitUntilEnded(studio, parentSid, sid);

    const { page, errors } = await openConsole(browser, stack, `#/flows/${parentSid}/executions/${sid}`);
    await waitForText(page, '[data-execution-status]', 'ended');
    const greet = await page.$eval('ol.steps > li.step[data-to="greet_contact"]', (li) => li.getAttribute('data-step'));
    const parentStep = await page.$eval('ol.steps > li.step[data-from="greet_contact"]', (li) => li.getAttribute('data-step'));
    const children = await page.$$eval(`ol.child-steps li.step`, (lis) =>
      lis.map((li) => ({ under: li.parentElement?.getAttribute('data-parent-step'), step: `${li.getAttribute('data-from')}→${li.getAttribute('data-to')}` })),
    );
    expect(children.map((c) => c.step)).toEqual(['Trigger→start_conversation', 'start_conversation→ask_name', 'ask_name→save_name', 'save_name→Ended']);
    expect(new Set(children.map((c) => c.under)).size).toBe(1);
    expect([greet, parentStep]).toContain(children[0]?.under);
    // What a step wrote, and the whole context after it (Step Context) when opened.
    const saveName = await page.$('ol.child-steps li.step[data-from="ask_name"]');
    expect(await saveName!.$eval('.wrote pre', (pre) => pre.textContent)).toContain('"Ada"');
    await saveName!.$eval('details.after', (d) => d.setAttribute('open', ''));
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('ol.child-steps li.step[data-from="ask_name"] details.after pre')?.textContent?.includes('"flow"'));
    // The parent's canvas lights the parent's path only.
    expect((await page.$$eval('g.widget.visited', (gs) => gs.map((g) => g.getAttribute('data-widget')))).sort()).toEqual(['Trigger', 'confirm', 'greet_contact']);
    const link = await page.$eval('a.temporal-link', (a) => a.getAttribute('href'));
    expect(link).toBe(`http://localhost:8233/namespaces/default/workflows/${sid}`);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('an active execution updates live: a stray reply shows as an 81002 warning, then the execution walks on to its end', async () => {
    const studio = stack.client.studio.v2;
    const service = await startHttpService({ '/hold': { status: 200, body: 'ok', hold: true } });
    try {
      const definition = restFlow(
        {
          name: 'start',
          type: 'start-conversation',
          transitions: [{ event: 'created', next: 'ask' }, { event: 'failed' }],
          properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
        },
        { name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage', next: 'hold' }, { event: 'timeout' }, { event: 'deliveryFailure' }], properties: { body: 'Say something', timeout: '600' } },
        { name: 'hold', type: 'make-http-request', transitions: [{ event: 'success' }, { event: 'failed' }], properties: { method: 'GET', url: `${service.url}/hold` } },
      );
      const flowSid = await publish(studio, definition, 'Held');
      const to = nextContact();
      const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000' });
      const conversation = await stack.conversationOf(sid);
      await eventually(async () => (conversation.messages.length > 0 ? true : undefined));

      const { page, errors } = await openConsole(browser, stack, `#/flows/${flowSid}/executions/${sid}`);
      await page.waitForSelector('g.widget.current[data-widget="ask"]');
      await stack.reply(conversation.sid, to, 'first');
      // Without a reload: the reply moves the execution on to `hold`, where the HTTP request waits.
      await page.waitForSelector('g.widget.current[data-widget="hold"]');
      await stack.reply(conversation.sid, to, 'second');
      const warning = await waitForText(page, 'ul.warnings li', '81002');
      expect(warning).toContain('it was ignored');
      service.release('/hold');
      await waitForText(page, '[data-execution-status]', 'ended');
      expect(await page.$$('g.widget.current')).toHaveLength(0);
      expect(await page.$eval('g.arrow.taken[data-from="ask"]', (g) => g.getAttribute('data-event'))).toBe('incomingMessage');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await service.close();
    }
  }, 90_000);

  test('flow.error is shown, and the executions list filters by status and creation date', async () => {
    const studio = stack.client.studio.v2;
    const flowSid = await publish(studio, restFlow({ name: 'speak', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: {} }), 'Voice');
    const to = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000' });
    await waitUntilEnded(studio, flowSid, sid);

    const { page, errors } = await openConsole(browser, stack, `#/flows/${flowSid}`);
    await page.waitForSelector(`tr[data-execution="${sid}"]`);
    await page.select('select[name=status]', 'active');
    await page.waitForFunction((s: string) => !(globalThis as unknown as PageGlobals).document.querySelector(`tr[data-execution="${s}"]`), {}, sid);
    await page.select('select[name=status]', 'ended');
    await page.waitForSelector(`tr[data-execution="${sid}"]`);
    // Created from tomorrow: none yet (DateCreatedFrom); cleared, it is back.
    const pickFrom = (value: string) =>
      page.$eval('input[name=from]', (input, v) => {
        const field = input as unknown as { value: string; dispatchEvent(e: unknown): boolean };
        field.value = v as string;
        field.dispatchEvent(new (globalThis as unknown as { Event: new (type: string, init: object) => unknown }).Event('change', { bubbles: true }));
      }, value);
    await pickFrom(new Date(Date.now() + 86_400_000).toISOString().slice(0, 16));
    await page.waitForFunction((s: string) => !(globalThis as unknown as PageGlobals).document.querySelector(`tr[data-execution="${s}"]`), {}, sid);
    await pickFrom('');
    await page.waitForSelector(`tr[data-execution="${sid}"]`);
    await page.click(`tr[data-execution="${sid}"] a`);
    const error = await waitForText(page, '.flow-error', 'flow.error');
    expect(error).toContain("'say-play'");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
