import type { z } from 'zod';

export type ConfigResult<T> = { ok: true; config: T } | { ok: false; problems: string[] };

export interface ConfigIo {
  exit(code: number): never;
  write(line: string): void;
}

const processIo: ConfigIo = {
  exit: (code) => process.exit(code),
  write: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Parses env against the schema and describes each bad variable on its own line. A refinement
 * that finds a variable missing says so with a custom issue whose `params.missing` is true.
 * Values are never echoed: they may be credentials (MONGO_URL, AMQP_URL).
 */
export function parseConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
): ConfigResult<z.infer<S>> {
  const result = schema.safeParse(env);
  if (result.success) return { ok: true, config: result.data };
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(env)';
    const unset = issue.path.length === 1 && env[String(issue.path[0])] === undefined;
    // A refinement over several variables (custom) may name one that is unset, and explains itself.
    if (issue.code === 'custom') {
      return `config: ${name} ${unset && issue.params?.missing ? 'is required' : 'is invalid'}: ${issue.message}`;
    }
    return `config: ${name} ${unset ? 'is required' : `is invalid: ${issue.message}`}`;
  });
  return { ok: false, problems };
}

/** Parses config once at start; a bad value stops the process with a message naming the variable. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
  io: ConfigIo = processIo,
): z.infer<S> {
  const result = parseConfig(schema, env);
  if (result.ok) return result.config;
  for (const line of result.problems) io.write(line);
  return io.exit(1);
}
