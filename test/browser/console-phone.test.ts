import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { contactNumbers } from '../helpers/contacts';
import { exampleFlow, publish } from '../helpers/flows';
import { fill, launchBrowser, openConsole, type PageGlobals, say, threadMessages, waitForText } from '../helpers/browser';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let browser: Browser;
const nextContact = contactNumbers('+1555710');

/**
 * The screenshot the README shows: the survey played in the console, its path lit to the end. Every run takes it;
 * `UPDATE_README_SCREENSHOT=1` writes it over the committed docs/console-survey.png (its SIDs change every run, so
 * a plain test run leaves the work tree clean).
 */
const SCREENSHOT = process.env.UPDATE_README_SCREENSHOT === '1'
  ? join(__dirname, '..', '..', 'docs', 'console-survey.png')
  : join(tmpdir(), `console-survey-${process.pid}.png`);
/** The eight bytes every PNG file starts with. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

beforeAll(async () => {
  stack = await startStack('console-phone');
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});


describe('the phone', () => {
  test('a person plays the survey from the phone and watches the path light up to its end, with the final context', async () => {
    const flowSid = await publish(stack.client.studio.v2, exampleFlow('conversation-survey.json'), 'Example: conversation survey');
    const contact = nextContact();
    const { page, requests, errors } = await openConsole(browser, stack, `#/phone?flow=${flowSid}`);
    await page.waitForSelector(`select[name=flow] option[value="${flowSid}"]`);
    await fill(page, 'input[name=to]', contact);
    await fill(page, 'textarea[name=parameters]', '{"name":"Ada"}');
    await page.click('button[name=start]');

    await waitForText(page, 'ol.thread li.msg.from-flow', 'Hi Ada! How was your visit');
    // While the execution waits for the rating, the canvas shows ask_rating as the current widget.
    await page.waitForSelector('g.widget.current[data-widget="ask_rating"]');
    await say(page, '2', 3);
    await waitForText(page, 'ol.thread li.msg.from-flow', 'What could we have done better?');
    const feedback = '<img src=x onerror="window.__pwned=1"> Shorter queues';
    await say(page, feedback, 5);
    await waitForText(page, 'ol.thread li.msg.from-flow', 'Thank you! We noted your rating of 2.');
    await waitForText(page, '[data-execution-status]', 'ended');

    expect(await threadMessages(page)).toEqual([
      'flow: Hi Ada! How was your visit, from 1 (poor) to 5 (great)?',
      'contact: 2',
      'flow: Sorry to hear that. What could we have done better?',
      `contact: ${feedback}`,
      'flow: Thank you! We noted your rating of 2.',
    ]);
    const visited = await page.$$eval('g.widget.visited', (gs) => gs.map((g) => g.getAttribute('data-widget')));
    expect(visited.sort()).toEqual(['Trigger', 'ask_feedback', 'ask_rating', 'check_rating', 'save_feedback', 'start_conversation', 'thank_you'].sort());
    expect(await page.$$('g.widget.current')).toHaveLength(0);
    const taken = await page.$$eval('g.arrow.taken', (gs) => gs.map((g) => `${g.getAttribute('data-from')} ${g.getAttribute('data-event')} ${g.getAttribute('data-to')}`));
    expect(taken.sort()).toEqual(
      [
        'Trigger incomingRequest start_conversation',
        'start_conversation created ask_rating',
        'ask_rating incomingMessage check_rating',
        'check_rating match ask_feedback',
        'ask_feedback incomingMessage save_feedback',
        'save_feedback next thank_you',
      ].sort(),
    );
    const context = JSON.parse((await page.$eval('pre.execution-context', (pre) => pre.textContent)) ?? '{}');
    expect(context.flow.variables).toEqual({ rating: 2, sentiment: 'negative', feedback });
    const stepNames = await page.$$eval('ol.steps > li.step', (lis) => lis.map((li) => `${li.getAttribute('data-from')}→${li.getAttribute('data-to')}`));
    expect(stepNames.at(-1)).toBe('thank_you→Ended');
    // The contact's HTML stayed text: no element was made of it, nothing ran, nothing was fetched.
    expect(await page.$$('ol.thread img, pre img')).toHaveLength(0);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();
    expect(requests.filter((url) => !url.startsWith(`${stack.api.url}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    // Tall enough that the fitted canvas shows the whole survey beside the phone.
    await page.setViewport({ width: 1600, height: 1400 });
    await page.waitForFunction(() => Number((globalThis as unknown as PageGlobals).document.querySelector('svg.canvas')?.getAttribute('data-scale')) > 0.6);
    await page.screenshot({ path: SCREENSHOT });
    expect(readFileSync(SCREENSHOT).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    await page.close();
  }, 90_000);
});
