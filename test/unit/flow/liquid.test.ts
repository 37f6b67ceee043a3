import type { FlowContext } from '../../../src/flow/context';
import { renderTemplate, TemplateError } from '../../../src/flow/liquid';

const contextWith = (variables: FlowContext['flow']['variables']): FlowContext => ({
  flow: { sid: 'FN1', flow_sid: 'FW1', channel: { address: '+15559990000' }, data: {}, variables },
  trigger: {},
  widgets: {},
  contact: { channel: { address: '+15551230000' } },
});

describe('renderTemplate', () => {
  test('when one template renders against successive contexts, then each rendering reads its own context', () => {
    const template = 'Turn {{flow.variables.n | default: 0 | plus: 1}}';

    const renderings = [0, 1, 2].map((n) => renderTemplate(template, contextWith({ n })));

    expect(renderings).toEqual(['Turn 1', 'Turn 2', 'Turn 3']);
  });

  test('when a template does not parse, then every rendering of it fails with a TemplateError naming it', () => {
    const render = () => renderTemplate('{% if %}', contextWith({}));

    expect(render).toThrow(TemplateError);
    expect(render).toThrow('Liquid template "{% if %}"');
  });

  test('when a template has no Liquid markup, then it comes back untouched', () => {
    expect(renderTemplate('plain text', contextWith({}))).toBe('plain text');
  });
});
