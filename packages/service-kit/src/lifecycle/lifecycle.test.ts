import { pino } from 'pino';
import { Lifecycle } from './lifecycle.js';

const logger = pino({ level: 'silent' });

describe('Lifecycle', () => {
  it('closes in reverse order of registration, once, then exits 0', async () => {
    const exits: number[] = [];
    const closed: string[] = [];
    const lifecycle = new Lifecycle({ logger, exit: (code) => exits.push(code) });
    for (const name of ['telemetry', 'mongo', 'consumers', 'http'])
      lifecycle.onClose(name, () => closed.push(name));
    await Promise.all([lifecycle.shutdown('SIGTERM'), lifecycle.shutdown('SIGINT')]);
    expect(closed).toEqual(['http', 'consumers', 'mongo', 'telemetry']);
    expect(exits).toEqual([0]);
  });

  it('keeps closing after a closer fails, and exits 1', async () => {
    const exits: number[] = [];
    const closed: string[] = [];
    const lifecycle = new Lifecycle({ logger, exit: (code) => exits.push(code) });
    lifecycle.onClose('mongo', () => closed.push('mongo'));
    lifecycle.onClose('relay', () => Promise.reject(new Error('stuck')));
    await lifecycle.shutdown('SIGTERM');
    expect(closed).toEqual(['mongo']);
    expect(exits).toEqual([1]);
  });

  it('forces exit 1 when closing takes longer than the shutdown bound', async () => {
    const exits: number[] = [];
    const lifecycle = new Lifecycle({ logger, shutdownTimeoutMs: 50, exit: (code) => exits.push(code) });
    lifecycle.onClose('hung', () => new Promise((resolve) => setTimeout(resolve, 200)));
    const done = lifecycle.shutdown('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(exits).toEqual([1]);
    await done;
    expect(exits).toEqual([1]);
  });
});
