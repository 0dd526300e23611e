import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findExecutable } from './find-executable.js';

const run = promisify(execFile);

/**
 * Runs rabbitmqctl against the local broker (as the current user) and returns its stdout.
 * Fault tests use it to close connections, stop the app, or inspect queues.
 */
export async function rabbitmqctl(args: string[], timeoutMs = 60_000): Promise<string> {
  try {
    const { stdout } = await run((await findExecutable('rabbitmqctl')) ?? 'rabbitmqctl', args, {
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stderr = '', message } = error as { stderr?: string; message: string };
    throw new Error(`rabbitmqctl ${args.join(' ')} failed: ${stderr.trim() || message}`);
  }
}
