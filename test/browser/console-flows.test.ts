import type { Browser } from 'puppeteer-core';
import { exampleFlow, publish, restFlow } from '../helpers/flows';
import { launchBrowser, openConsole, type PageGlobals, waitForText } from '../helpers/browser';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack('console-flows');
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Requests to anything but the API under test (the emulator is reached through it). */
const outside = (requests: string[]) => requests.filter((url) => !url.startsWith(`${stack.api.url}/`) && !url.startsWith('data:'));

describe('the web console', () => {
  test('loads with the API credentials and is refused without them', async () => {
    const anonymous = await fetch(`${stack.api.url}/console/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await anonymous.json()).toMatchObject({ code: 20003, status: 401 });

    // A browser without the credentials: the page answers 401 and nothing of the console loads.
    const refused = await browser.newPage();
    const statuses: number[] = [];
    refused.on('response', (response) => void statuses.push(response.status()));
    await refused.goto(`${stack.api.url}/console/`).catch((err: Error) => expect(err.message).toContain('ERR_INVALID_AUTH_CREDENTIALS'));
    expect(statuses).toEqual([401]);
    expect(await refused.$('#app nav')).toBeNull();
    await refused.close();

    const flowSid = await publish(stack.client.studio.v2, exampleFlow('conversation-survey.json'), 'Survey in the list');
    const { page, requests, errors } = await openConsole(browser, stack);
    const row = await waitForText(page, 'table.flows tr', 'Survey in the list');
    expect(row).toContain(flowSid);
    expect(row).toContain('published');
    expect(errors).toEqual([]);
    expect(outside(requests)).toEqual([]);
    await page.close();
  });

  test('draws the survey with every widget at its exported offset and every transition as a labelled arrow', async () => {
    const survey = exampleFlow('conversation-survey.json');
    const flowSid = await publish(stack.client.studio.v2, survey, 'Survey drawn');
    const { page, requests, errors } = await openConsole(browser, stack, `#/flows/${flowSid}`);
    await page.waitForSelector('svg.canvas g.widget');
    // Fitted to the page by default (the survey is wider than it); at 100% one pixel is one offset unit.
    expect(Number(await page.$eval('svg.canvas', (svg) => svg.getAttribute('data-scale')))).toBeLessThan(1);
    await page.click('button[name=zoom-100]');
    await page.waitForSelector('svg.canvas[data-scale="1"]');
    const drawn = await page.$$eval('svg.canvas g.widget', (widgets) =>
      widgets.map((g) => {
        const box = g.querySelector('rect.box')!.getBoundingClientRect();
        return { name: g.getAttribute('data-widget'), x: box.left, y: box.top, text: g.textContent };
      }),
    );
    expect(drawn.map((w) => w.name).sort()).toEqual(survey.states.map((s) => s.name).sort());
    // Each widget sits where its offset says, relative to the trigger's.
    const trigger = drawn.find((w) => w.name === 'Trigger')!;
    for (const state of survey.states) {
      const widget = drawn.find((w) => w.name === state.name)!;
      const offset = state.properties.offset as { x: number; y: number };
      expect([Math.round(widget.x - trigger.x), Math.round(widget.y - trigger.y)]).toEqual([offset.x, offset.y]);
      expect(widget.text).toContain(state.type);
    }
    const arrows = await page.$$eval('svg.canvas g.arrow', (gs) => gs.map((g) => `${g.getAttribute('data-from')} ${g.querySelector('text')!.textContent}`));
    const transitions = survey.states.flatMap((s) => s.transitions.filter((t) => t.next).map((t) => `${s.name} ${t.event}`));
    expect(arrows.sort()).toEqual(transitions.sort());
    expect(errors).toEqual([]);
    expect(outside(requests)).toEqual([]);
    await page.close();
  });

  test('shows a validation issue on the widget it concerns, marks a voice widget as not run, and lists revisions', async () => {
    const definition = restFlow(
      { name: 'greet', type: 'send-message', transitions: [{ event: 'sent', next: 'speak' }, { event: 'failed' }], properties: { body: 'hi', colour: 'blue' } },
      { name: 'speak', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: { say: 'hello' } },
    );
    const flowSid = await publish(stack.client.studio.v2, definition, 'Flow with issues');
    await stack.client.studio.v2.flows(flowSid).update({ status: 'published', commitMessage: 'second', definition });
    const { page, errors } = await openConsole(browser, stack, `#/flows/${flowSid}`);
    await page.waitForSelector('svg.canvas g.widget.has-issue');
    const greet = await page.$eval('g.widget[data-widget="greet"]', (g) => ({ classes: g.getAttribute('class'), text: g.textContent }));
    expect(greet.classes).toContain('has-issue');
    expect(greet.text).toContain('colour: is not a property of send-message');
    const speak = await page.$eval('g.widget[data-widget="speak"]', (g) => ({ classes: g.getAttribute('class'), text: g.textContent }));
    expect(speak.classes).toContain('not-run');
    expect(speak.text).toContain('not run by studio-temporal');
    const trigger = await page.$eval('g.widget[data-widget="Trigger"]', (g) => g.getAttribute('class'));
    expect(trigger).not.toContain('has-issue');
    // Its widgets have no offsets (only the trigger has): laid out by dagre, top-down along the transitions.
    const tops = await page.$$eval('g.widget rect.box', (boxes) => boxes.map((b) => b.getBoundingClientRect().top));
    expect(tops).toHaveLength(3);
    expect(tops[0]).toBeLessThan(tops[1]!);
    expect(tops[1]).toBeLessThan(tops[2]!);
    await page.waitForSelector('select.revision option[value="1"]');
    expect(await page.$$eval('select.revision option', (options) => options.map((o) => o.textContent))).toEqual(['2 (published) · second', '1 (published)']);
    await page.select('select.revision', '1');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).location.hash.endsWith('?revision=1'));
    await page.waitForSelector('g.widget[data-widget="speak"]');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('renders a widget named like markup as text: nothing runs, no element is made', async () => {
    const name = '<img src=x onerror="window.__pwned=1">';
    const definition = restFlow({ name, type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: '<b>bold</b>' } });
    const flowSid = await publish(stack.client.studio.v2, definition, '<script>window.__pwned=2</script>');
    const { page, requests, errors } = await openConsole(browser, stack, `#/flows/${flowSid}`);
    await page.waitForSelector('svg.canvas g.widget');
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('<script>window.__pwned=2</script>');
    const widget = await page.$$eval('g.widget', (gs, n) => gs.find((g) => g.getAttribute('data-widget') === n)?.querySelector('text.name')?.textContent, name);
    expect(widget).toBe(`${name.slice(0, 29)}…`);
    expect(await page.$$('img, script:not([type]):not([src])')).toHaveLength(0);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();
    expect(requests.filter((url) => url.endsWith('/x'))).toEqual([]);
    expect(errors).toEqual([]);
    expect(outside(requests)).toEqual([]);
    await page.close();
  });
});
