import fc from 'fast-check';
import { jsonBytes, recordJsonBytes } from '../../../src/flow/limits';

/** The execution decides on continue-as-new by this size; it must be jsonBytes exactly, or old histories diverge. */
describe('recordJsonBytes', () => {
  const record = fc.dictionary(
    fc.string({ unit: 'grapheme' }),
    fc.option(fc.array(fc.record({ path: fc.array(fc.string({ unit: 'grapheme' })), value: fc.jsonValue() })), { nil: undefined }),
  );

  test('equals jsonBytes of the whole record, on any keys and values (multi-byte and empty included)', () => {
    fc.assert(fc.property(record, (changes) => recordJsonBytes(changes, new WeakMap()) === jsonBytes(changes)));
  });

  test('when the record grows a step at a time, then the sizes remembered for earlier steps still add up exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.array(fc.jsonValue()))), (steps) => {
        const sizes = new WeakMap<object, number>();
        let changes: Record<string, object> = {};
        for (const [sid, written] of steps) {
          changes = { ...changes, [sid]: written };
          if (recordJsonBytes(changes, sizes) !== jsonBytes(changes)) return false;
        }
        return true;
      }),
    );
  });
});
