import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type CaseOutcome = 'passed' | 'failure' | 'error' | 'skipped';

export interface JUnitCase {
  suite: string;
  classname: string;
  name: string;
  timeSeconds: number;
  outcome: CaseOutcome;
  /** The failure's or error's message attribute, else the first line of its text. */
  message?: string;
  /** The failure's or error's body (usually a stack trace), untruncated. */
  details?: string;
}

/** A suite that directly holds test cases; suites that only group other suites are flattened away. */
export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
}

export interface JUnitReport {
  suites: JUnitSuite[];
  /**
   * Sum over the top-level suites of their `time` (or, when absent, of what they contain). Only
   * top-level: a parent suite's time already includes its nested suites'.
   */
  timeSeconds: number;
}

export class JUnitParseError extends Error {
  override name = 'JUnitParseError';
}

// Elements that may repeat are always arrays, so one <testcase> and many look the same.
const REPEATED = new Set(['testsuite', 'testcase', 'failure', 'error', 'skipped']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  // Values stay strings: a case named "1e3" must not become 1000.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (tagName, _path, _isLeaf, isAttribute) => !isAttribute && REPEATED.has(tagName),
});

type XmlNode = Record<string, unknown>;

/** `<skipped/>` parses to '' and `<failure>text</failure>` to 'text'; make both nodes. */
function asNode(value: unknown): XmlNode {
  if (value !== null && typeof value === 'object') return value as XmlNode;
  return typeof value === 'string' && value !== '' ? { '#text': value } : {};
}

function children(node: XmlNode, tag: string): XmlNode[] {
  const value = node[tag];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(asNode);
}

function attr(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Some reporters write thousands separators ("1,234.5").
  const n = Number(value.replace(/,/g, ''));
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function problem(node: XmlNode): { message: string; details: string } {
  const text = typeof node['#text'] === 'string' ? node['#text'].trim() : '';
  const firstLine = text.split('\n', 1)[0]?.trim() ?? '';
  const message = attr(node, 'message')?.trim() || firstLine || attr(node, 'type') || '(no message)';
  return { message, details: text || message };
}

function parseCase(node: XmlNode, suite: string): JUnitCase {
  const base = {
    suite,
    classname: attr(node, 'classname') ?? '',
    name: attr(node, 'name') ?? '(unnamed case)',
    timeSeconds: seconds(attr(node, 'time')) ?? 0,
  };
  // A failed assertion is reported before an error if a tool emits both; skipped only counts when nothing broke.
  const failure = children(node, 'failure')[0];
  if (failure) return { ...base, outcome: 'failure', ...problem(failure) };
  const error = children(node, 'error')[0];
  if (error) return { ...base, outcome: 'error', ...problem(error) };
  if (node.skipped !== undefined) return { ...base, outcome: 'skipped' };
  return { ...base, outcome: 'passed' };
}

/** Appends the suite and its nested suites to `into`; returns the suite's total time. */
function collectSuite(node: XmlNode, into: JUnitSuite[]): number {
  const name = attr(node, 'name') ?? '(unnamed suite)';
  const cases = children(node, 'testcase').map((c) => parseCase(c, name));
  const nested = children(node, 'testsuite');
  if (cases.length > 0 || nested.length === 0) into.push({ name, cases });
  let nestedSeconds = 0;
  for (const child of nested) nestedSeconds += collectSuite(child, into);
  return seconds(attr(node, 'time')) ?? cases.reduce((sum, c) => sum + c.timeSeconds, nestedSeconds);
}

/**
 * Reads a JUnit XML report (`<testsuites>` or a lone `<testsuite>` root, suites nested at any
 * depth). Counts come from the cases themselves, not the suites' attributes, which reporters
 * often get wrong or omit.
 */
export function parseJUnit(xml: string): JUnitReport {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new JUnitParseError(
      `malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
    );
  }
  let doc: XmlNode;
  try {
    doc = asNode(parser.parse(xml));
  } catch (err) {
    throw new JUnitParseError(`malformed XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  let topLevel: XmlNode[];
  if (doc.testsuites !== undefined) topLevel = children(asNode(doc.testsuites), 'testsuite');
  else if (doc.testsuite !== undefined) topLevel = children(doc, 'testsuite');
  else throw new JUnitParseError('not a JUnit report: the root is neither <testsuites> nor <testsuite>');
  const suites: JUnitSuite[] = [];
  const timeSeconds = topLevel.reduce((sum, suite) => sum + collectSuite(suite, suites), 0);
  return { suites, timeSeconds };
}
