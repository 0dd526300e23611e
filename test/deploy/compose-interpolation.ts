import type { Container } from './compose-file.js';

/** The variables compose interpolates with: .env and the shell's, the shell's winning. */
export type InterpolationEnv = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** The end of the `${…}` that opens at `start` (the `$`), nested `${…}` included. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth += 1;
      i += 1;
    } else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error(`invalid interpolation format: unclosed \${ in "${text}"`);
}

/** `${NAME…}`'s inside: the variable, then an operator and its argument, or nothing. */
function substitute(inside: string, env: InterpolationEnv, text: string): string {
  const name = NAME.exec(inside)?.[0];
  if (!name) throw new Error(`invalid interpolation format: "\${${inside}}" in "${text}"`);
  const rest = inside.slice(name.length);
  const value = env[name];
  const set = value !== undefined;
  const setAndNotEmpty = set && value !== '';
  const operator = /^(:-|-|:\?|\?|:\+|\+)?/.exec(rest)?.[0] ?? '';
  const argument = rest.slice(operator.length);
  switch (operator) {
    case '':
      if (rest !== '') throw new Error(`invalid interpolation format: "\${${inside}}" in "${text}"`);
      return value ?? '';
    case ':-':
      return setAndNotEmpty ? value : interpolate(argument, env);
    case '-':
      return set ? value : interpolate(argument, env);
    case ':?':
      if (!setAndNotEmpty) throw new Error(`required variable ${name} is missing a value: ${argument}`);
      return value;
    case '?':
      if (!set) throw new Error(`required variable ${name} is missing a value: ${argument}`);
      return value;
    case ':+':
      return setAndNotEmpty ? interpolate(argument, env) : '';
    default:
      return set ? interpolate(argument, env) : '';
  }
}

/**
 * A value of the compose file with its variables replaced, as compose does it (the Compose
 * Specification, "Interpolation"): `$$` is a literal `$`; `$NAME` and `${NAME}` are the value or
 * empty; `${NAME:-default}` / `${NAME-default}` fall back when unset or empty / unset;
 * `${NAME:?message}` / `${NAME?message}` stop compose with the message; `${NAME:+other}` /
 * `${NAME+other}` give `other` when set. Defaults may hold variables themselves.
 */
export function interpolate(text: string, env: InterpolationEnv): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char !== '$') {
      out += char;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 1;
    } else if (next === '{') {
      const end = closingBrace(text, i);
      out += substitute(text.slice(i + 2, end), env, text);
      i = end;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (!name) throw new Error(`invalid interpolation format: "$" at ${i} in "${text}"`);
      out += env[name] ?? '';
      i += name.length;
    }
  }
  return out;
}

/**
 * The variables a container is given: each value interpolated, numbers and booleans as their
 * text, and a variable written without a value taken from `env` when set there (left out
 * otherwise), as compose passes it on from .env or the shell.
 */
export function containerEnvironment(container: Container, env: InterpolationEnv): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(container.environment ?? {})) {
    if (value === null) {
      const passed = env[name];
      if (passed !== undefined) resolved[name] = passed;
    } else {
      resolved[name] = typeof value === 'string' ? interpolate(value, env) : String(value);
    }
  }
  return resolved;
}
