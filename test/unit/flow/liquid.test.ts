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

  describe('bounds (liquid-bounds.ts)', () => {
    const loops = (depth: number, body: string, range = '(1..250)') => `${`{% for i in ${range} %}`.repeat(depth)}${body}${'{% endfor %}'.repeat(depth)}`;
    const render = (template: string) => renderTemplate(template, contextWith({}));

    test("when a loop runs over more than 15 items, then it stops after 15, as Studio's FAQ says", () => {
      expect(render('{% for i in (1..1000000) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}')).toBe('x'.repeat(20 * 15));
      expect(render('{% for i in (1..100) limit: 40 %}{{i}} {% endfor %}')).toBe('1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 ');
      expect(render('{% for i in (1..100) limit: 2 %}{{i}} {% endfor %}')).toBe('1 2 ');
      expect(render('{% for i in (1..100) offset: 90 %}{{i}} {% endfor %}')).toBe('91 92 93 94 95 96 97 98 99 100 ');
      expect(render('{% tablerow i in (1..100) %}{{i}}{% endtablerow %}').match(/<td/g)).toHaveLength(15);
      expect(render('{% liquid\nfor i in (1..100)\necho "x"\nendfor %}')).toBe('x'.repeat(15));
    });

    test('when loops nest three deep over 250 items, then each runs 15 times: 3,375 bodies', () => {
      expect(render(loops(3, 'x'))).toBe('x'.repeat(15 ** 3));
    });

    test('when loops nest so deep that their bodies would run 15^6 times, then the render stops with a TemplateError', () => {
      expect(() => render(loops(6, '{% if false %}x{% endif %}'))).toThrow(/too much work/);
    });

    test('when a rendered value grows past 64 KiB, then the render stops with a TemplateError, however it grows', () => {
      const doubling = '{% assign s = "xxxxxxxxxx" %}{% for i in (1..15) %}{% assign s = s | append: s %}{% endfor %}';
      expect(render(`${doubling}{{ s | size }}`)).toBe(String(10 * 2 ** 15)); // building it is fine ...
      expect(() => render(`${doubling}{{ s }}`)).toThrow(/larger than 64 KiB|more than the 64 KiB/); // ... writing it is not
      expect(() => render(loops(5, 'x'))).toThrow(/larger than 64 KiB/);
      expect(() => render(`{% capture c %}${loops(4, 'xx')}{% endcapture %}{{ c | size }}`)).toThrow(/larger than 64 KiB/);
      expect(render(loops(4, 'x'))).toHaveLength(15 ** 4); // 50,625 characters: within the limit
    });

    test('when a value is within 64 KiB in characters but not in UTF-8 bytes, then it is refused too', () => {
      expect(() => render(`{% for i in (1..15) %}${'é'.repeat(2_500)}{% endfor %}`)).toThrow(/renders 73 KiB, more than the 64 KiB/);
    });

    test('when a render allocates too much (a huge range, strings built by filters), then liquidjs stops it with a TemplateError', () => {
      expect(() => render('{% for i in (1..100000000) %}x{% endfor %}')).toThrow(/memory alloc limit exceeded/);
      const doubled = '{% assign a = "a,b,c,d,e,f,g,h,i,j" | split: "," %}{% for i in (1..15) %}{% assign a = a | concat: a %}{% endfor %}';
      expect(render(`${doubled}{{ a | size }}`)).toBe(String(10 * 2 ** 15));
      expect(() => render(`${doubled}{% assign b = a | join: "," %}{% assign c = b | split: "," | join: ";" %}{{ c | size }}`)).toThrow(/memory alloc limit exceeded/);
      const chain = `{{ "a"${' | append: "bbbbbbbbbb"'.repeat(1_000)} | size }}`;
      expect(() => render(loops(3, chain, '(1..15)'))).toThrow(TemplateError);
    });
  });
});

