import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASES_DIR, loadCases } from '../helpers/studio-cases';

/** A case file that is wrong must fail naming its problem, before any stack starts (test/integration/studio-cases.test.ts). */
describe('reading test/fixtures/studio-cases', () => {
  let dir: string;
  const write = (file: string, content: unknown) => writeFileSync(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  const widget = { name: 'call', type: 'make-http-request', properties: { method: 'GET', url: '$HTTP/x' } };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'studio-cases-'));
    copyFileSync(join(CASES_DIR, 'case.schema.json'), join(dir, 'case.schema.json'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('when a case is well-formed, then it is read with its id', () => {
    write('fine.json', { title: 't', evidence: 'e', flow: { widgets: [widget] }, http: { '/x': { status: 200 } }, expect: { events: ['incomingRequest', 'success'] } });
    expect(loadCases(dir)).toEqual([{ id: 'fine', file: 'fine.json', studioCase: expect.objectContaining({ title: 't' }) }]);
  });

  test('the README’s example case is a well-formed case', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Studio behaviour as data'));
    const example = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    write('readme.json', example ?? 'no json block');
    expect(loadCases(dir)).toEqual([expect.objectContaining({ id: 'readme', studioCase: expect.objectContaining({ flow: expect.any(Object) }) })]);
  });

  test.each([
    ['that is not JSON', '{"title": ', /not JSON/],
    ['without evidence', { title: 't', flow: { widgets: [widget] }, expect: { events: [] } }, /must have required property 'evidence'/],
    ['with a misspelt expectation', { title: 't', evidence: 'e', flow: { widgets: [widget] }, expect: { event: [] } }, /\/expect must NOT have additional properties.*"additionalProperty":"event"/],
    ['with an unknown call', { title: 't', evidence: 'e', flow: { widgets: [widget] }, calls: [{ replay: 'x' }], expect: { events: [] } }, /\/calls\/0/],
    ['naming a subflow it does not define', { title: 't', evidence: 'e', flow: { widgets: [{ ...widget, properties: { flow_sid: '$FLOW:kid' } }] }, expect: { events: [] } }, /subflow "kid"/],
    ['releasing a route it does not define', { title: 't', evidence: 'e', flow: { widgets: [widget] }, calls: [{ release: '/y' }], expect: { events: [] } }, /http route "\/y"/],
  ])('a case file %s is refused, its problem named', (_what, content, problem) => {
    write('bad.json', content);
    const [loaded] = loadCases(dir);
    expect(loaded?.studioCase).toBeUndefined();
    expect(loaded?.problem).toMatch(problem);
  });
});
