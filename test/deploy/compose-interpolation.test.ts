// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose's ${…} is what is tested, in plain strings.
import { containerEnvironment, interpolate } from './compose-interpolation.js';

// The interpolation the compose tests resolve the file with, held to what compose does
// (Compose Specification, "Interpolation"), so their environments are the containers'.

const env = { SET: 'value', EMPTY: '', OTHER: 'other' };

test.each([
  ['plain text', 'plain text'],
  ['${SET}', 'value'],
  ['$SET and $OTHER', 'value and other'],
  ['${UNSET}', ''],
  ['${UNSET:-fallback}', 'fallback'],
  ['${EMPTY:-fallback}', 'fallback'],
  ['${EMPTY-fallback}', ''],
  ['${UNSET-fallback}', 'fallback'],
  ['${SET:-fallback}', 'value'],
  ['${UNSET:-${OTHER}}', 'other'],
  ['${SET:+alternative}', 'alternative'],
  ['${EMPTY:+alternative}', ''],
  ['${EMPTY+alternative}', 'alternative'],
  ['${SET:?needed}', 'value'],
  ['$${SET} costs $$5', '${SET} costs $5'],
  ['delivery/gateway:${TAG:-dev}', 'delivery/gateway:dev'],
])('%s → %s', (text, expected) => {
  expect(interpolate(text, env)).toBe(expected);
});

test('a required variable unset or empty stops it with its message', () => {
  expect(() => interpolate('${UNSET:?run make-secrets}', env)).toThrow(
    'required variable UNSET is missing a value: run make-secrets',
  );
  expect(() => interpolate('${EMPTY:?run make-secrets}', env)).toThrow('required variable EMPTY');
  expect(interpolate('${EMPTY?run make-secrets}', env)).toBe('');
  expect(() => interpolate('${UNSET?run make-secrets}', env)).toThrow('required variable UNSET');
});

test('a malformed reference is refused, as compose refuses the file', () => {
  expect(() => interpolate('${process.env.PORT}', env)).toThrow('invalid interpolation format');
  expect(() => interpolate('${SET', env)).toThrow('invalid interpolation format');
});

test('a variable written without a value is passed on when set, left out otherwise', () => {
  const container = { environment: { SET: null, UNSET: null, PORT: 4000, ON: true, URL: 'x-${SET}' } };
  expect(containerEnvironment(container, env)).toEqual({
    SET: 'value',
    PORT: '4000',
    ON: 'true',
    URL: 'x-value',
  });
});
