import { type AnswerField, completeness, validateAnswers } from './onboarding-answers.js';

const field = (
  key: string,
  type: AnswerField['type'],
  validation?: AnswerField['validation'],
  required = false,
) => ({
  key,
  label: key,
  type,
  required,
  ...(validation ? { validation } : {}),
});

describe('validateAnswers', () => {
  const fields: AnswerField[] = [
    field('name', 'text', { min: 2, max: 5 }),
    field('code', 'text', { pattern: '[A-Z]{2}\\d' }),
    field('city', 'text', { pattern: '\\p{Lu}\\p{Ll}+' }),
    field('contact', 'email'),
    field('site', 'url'),
    field('budget', 'number', { min: 100, max: 1000 }),
    field('signed', 'boolean'),
    field('launch', 'date'),
    field('tier', 'select', { options: ['gold', 'silver'] }),
  ];
  const issuesFor = (answers: Record<string, unknown>) => validateAnswers(fields, answers);

  test('valid answers of every type have no issues', () => {
    expect(
      issuesFor({
        name: 'Acme',
        code: 'AB1',
        city: 'Zürich',
        contact: 'ops@acme.example',
        site: 'https://acme.example/shop',
        budget: 100,
        signed: false,
        launch: '2026-02-28',
        tier: 'gold',
      }),
    ).toEqual([]);
  });

  test('a partial save is fine: missing answers, even required ones, are not issues', () => {
    expect(validateAnswers([field('name', 'text', undefined, true)], {})).toEqual([]);
  });

  test('null clears an answer of any type', () => {
    expect(issuesFor({ budget: null, tier: null, launch: null })).toEqual([]);
  });

  test('an answer to a question the project does not have is an issue at its path', () => {
    expect(issuesFor({ colour: 'red' })).toEqual([
      { path: 'answers.colour', message: 'is not a question of this onboarding' },
    ]);
  });

  test.each([
    ['name', 42, 'must be text'],
    ['name', 'A', 'must be at least 2 characters'],
    ['name', 'Acme Inc', 'must be at most 5 characters'],
    ['code', 'XAB1', 'must match the pattern [A-Z]{2}\\d'],
    ['code', 'AB12', 'must match the pattern [A-Z]{2}\\d'],
    ['city', 'zürich', 'must match the pattern \\p{Lu}\\p{Ll}+'],
    ['contact', 'not an email', 'must be an email address'],
    ['contact', 7, 'must be text'],
    ['site', 'acme.example', 'must be an http or https URL'],
    ['site', 'ftp://acme.example', 'must be an http or https URL'],
    ['budget', '500', 'must be a finite number'],
    ['budget', Number.NaN, 'must be a finite number'],
    ['budget', Number.POSITIVE_INFINITY, 'must be a finite number'],
    ['budget', 99.5, 'must be at least 100'],
    ['budget', 1000.5, 'must be at most 1000'],
    ['signed', 'yes', 'must be true or false'],
    ['launch', '2026-02-30', 'must be a date (yyyy-mm-dd) or an ISO date-time with a time zone'],
    ['launch', '02/03/2026', 'must be a date (yyyy-mm-dd) or an ISO date-time with a time zone'],
    ['launch', '2026-03-02T09:00:00', 'must be a date (yyyy-mm-dd) or an ISO date-time with a time zone'],
    ['launch', '2026-03-02T25:00:00Z', 'must be a date (yyyy-mm-dd) or an ISO date-time with a time zone'],
    ['tier', 'bronze', 'must be one of: gold, silver'],
    ['tier', ['gold'], 'must be one of: gold, silver'],
  ])('%s = %p: %s', (key, value, message) => {
    expect(issuesFor({ [key]: value })).toEqual([{ path: `answers.${key}`, message }]);
  });

  test('length counts characters, not UTF-16 units', () => {
    expect(issuesFor({ name: '😀😀😀' })).toEqual([]);
  });

  test('ISO date-times with a zone, an offset or fractions are dates; so are early years', () => {
    for (const launch of ['2026-03-02T09:00:00Z', '2026-03-02T09:00:00.123+05:30', '0050-01-01']) {
      expect(issuesFor({ launch })).toEqual([]);
    }
  });

  test('a text answer breaking several rules gets one issue per rule', () => {
    expect(validateAnswers([field('code', 'text', { min: 3, pattern: '[a-z]+' })], { code: 'A' })).toEqual([
      { path: 'answers.code', message: 'must be at least 3 characters' },
      { path: 'answers.code', message: 'must match the pattern [a-z]+' },
    ]);
  });

  test('a question whose pattern is not a valid regular expression accepts no answer instead of throwing', () => {
    expect(validateAnswers([field('code', 'text', { pattern: '(' })], { code: 'x' })).toEqual([
      { path: 'answers.code', message: 'cannot be checked: the question has an invalid pattern' },
    ]);
  });

  test('a select without options accepts nothing', () => {
    expect(validateAnswers([field('tier', 'select')], { tier: 'gold' })).toEqual([
      { path: 'answers.tier', message: 'must be one of: ' },
    ]);
  });
});

describe('completeness', () => {
  const fields: AnswerField[] = [
    field('company', 'text', { min: 2 }, true),
    field('signed', 'boolean', undefined, true),
    field('budget', 'number', undefined, true),
    field('notes', 'text'),
  ];

  test('nothing answered: every required field is missing', () => {
    expect(completeness(fields, {})).toEqual({
      required: 3,
      answered: 0,
      missing: ['company', 'signed', 'budget'],
      complete: false,
    });
  });

  test('false and 0 are answers; optional fields are not needed', () => {
    expect(completeness(fields, { company: 'Acme', signed: false, budget: 0 })).toEqual({
      required: 3,
      answered: 3,
      missing: [],
      complete: true,
    });
  });

  test('blank text and null do not answer a required field', () => {
    expect(completeness(fields, { company: '   ', signed: null, budget: 1 })).toMatchObject({
      answered: 1,
      missing: ['company', 'signed'],
      complete: false,
    });
  });

  test('an invalid answer to a required field does not count as answered', () => {
    expect(completeness(fields, { company: 'A', signed: true, budget: 1 })).toMatchObject({
      answered: 2,
      missing: ['company'],
      complete: false,
    });
  });

  test('an invalid optional answer or an unknown key keeps it incomplete though nothing is missing', () => {
    const answered = { company: 'Acme', signed: true, budget: 1 };
    expect(completeness(fields, { ...answered, notes: 5 })).toEqual({
      required: 3,
      answered: 3,
      missing: [],
      complete: false,
    });
    expect(completeness(fields, { ...answered, colour: 'red' }).complete).toBe(false);
  });
});
