/**
 * Studio's behaviour as data: every file in test/fixtures/studio-cases/ is one fact about Twilio Studio, run here
 * end to end (official client → API → worker → emulator / a local far end). Each new fact becomes one more file.
 *
 * A case file (checked against test/fixtures/studio-cases/case.schema.json first, so a malformed one fails naming
 * its problem) holds:
 * - `title`: what Studio does (the test's name); `evidence`: where that is documented or observed;
 *   `skip` (optional): why it is not run yet.
 * - `flow`: `{"widgets": [...]}` (a REST-triggered flow whose Trigger leads to the first widget; the same widget
 *   answers `incomingParent`, so it also runs as a subflow), `{"example": "file.json"}` (one of flows/) or
 *   `{"definition": {...}}`. `subflows`: named flows published first, in order; `"$FLOW:<name>"` in any string of the
 *   flow or of a later subflow is its SID.
 * - `http`: the far end's answers by path (`status`, `type` — `null` sends no Content-Type —, `body`, `headers`,
 *   `hold`); `"$HTTP"` in any string is the case's own base URL on the shared local server.
 * - `start`: the REST create's `parameters` (and `from`); `To` is a fresh contact per case.
 * - `calls`, in order: `{"reply": text}` the contact writes in the execution's conversation once the flow has
 *   prompted (`"prompted": false`: at once); `{"redeliver": "last"}` Twilio delivers that reply again (same
 *   MessageSid); `{"wait_for_request": path}`; `{"release": path}` lets a held answer go.
 * - `expect`: `events` (every step's name, in order), `path` (every step's transitioned_to), `context` (a subset of
 *   the ended execution's context), `absent` (dotted context paths that must not exist), `warnings` (codes),
 *   `requests` (what reached the far end: method, path, body).
 *
 * To extend the format, add the property to case.schema.json, read it in test/helpers/studio-cases.ts, and say
 * here what it means. Cases are independent (own flow, contact and routes), so they run concurrently on one stack.
 */
import { type HttpService, startHttpService } from '../helpers/http-service';
import { contactNumbers } from '../helpers/contacts';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';
import { caseRoutes, loadCases, runCase, valueAt } from '../helpers/studio-cases';

const cases = loadCases();
const nextContact = contactNumbers('+1555120');

let running: Promise<{ stack: TestStack; service: HttpService }> | undefined;
/** One stack and far end for every case, started by the first case that runs (concurrent tests start before beforeAll hooks settle). */
function shared() {
  running ??= (async () => {
    let url = '';
    const service = await startHttpService(caseRoutes(cases, () => url));
    url = service.url;
    return { stack: await startStack('studio-cases'), service };
  })();
  return running;
}

afterAll(async () => {
  if (!running) return;
  const { stack, service } = await running;
  await service.close();
  await checkResponsesAndStop(stack);
});

describe('Studio behaviour, case by case (test/fixtures/studio-cases)', () => {
  test('there are cases, and every case file is well-formed', () => {
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.filter((c) => c.problem).map((c) => `${c.file}: ${c.problem}`)).toEqual([]);
  });

  for (const { id, file, studioCase } of cases) {
    if (!studioCase) continue; // reported by the test above
    const name = `${file}: ${studioCase.title}`;
    if (studioCase.skip) {
      test.skip(`${name} (skipped: ${studioCase.skip})`, () => undefined);
      continue;
    }
    test.concurrent(name, async () => {
      const { stack, service } = await shared();
      const outcome = await runCase(stack, service, id, studioCase, nextContact());
      const want = studioCase.expect;
      if (want.events) expect(outcome.events).toEqual(want.events);
      if (want.path) expect(outcome.path).toEqual(want.path);
      if (want.context) expect(outcome.context).toMatchObject(want.context);
      for (const path of want.absent ?? []) expect({ [path]: valueAt(outcome.context, path) }).toEqual({ [path]: undefined });
      if (want.warnings) expect(outcome.warnings).toEqual(want.warnings);
      if (want.requests) expect(outcome.requests).toMatchObject(want.requests);
    });
  }
});
