import { jsonNesting } from '../../../src/api/json-nesting';

describe('jsonNesting', () => {
  test.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['{"a":"[[[{{{"}', 1], // brackets inside strings do not count
    ['{"a":"\\"[[[","b":[]}', 2], // nor after an escaped quote
    [`${'['.repeat(5000)}${']'.repeat(5000)}`, 5000],
  ])('when the text is %s, then it nests %d levels', (text, depth) => {
    expect(jsonNesting(text)).toBe(depth);
  });
});
