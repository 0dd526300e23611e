import { cpus, freemem, loadavg, totalmem, type } from 'node:os';
import { rabbitmqctl } from '@delivery/testing';
import type { SystemResult } from './measure.js';

export type Row = SystemResult | { system: string; failed: string };

const GIB = 1024 ** 3;

/** The machine and infrastructure the figures came from, as lines to print. */
export async function describeMachine(mongoKind: string): Promise<string[]> {
  const cores = cpus();
  const broker = await rabbitmqctl(['version'], 15_000)
    .then((out) => `RabbitMQ ${out.trim()}`)
    .catch(() => 'RabbitMQ (version unknown: rabbitmqctl failed)');
  return [
    `cpu:     ${cores.length} x ${cores[0]?.model.trim() ?? 'unknown'}`,
    `memory:  ${(totalmem() / GIB).toFixed(1)} GiB (${(freemem() / GIB).toFixed(1)} GiB free)`,
    `os:      ${type()} ${process.arch}, load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')} at start`,
    `node:    ${process.version}`,
    `broker:  ${broker}`,
    `mongo:   ${mongoKind}`,
  ];
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** A markdown table (readable in a terminal too), ratios against the first row, then notes. */
export function formatTable(rows: Row[], baseline: Row | undefined): string {
  const base = baseline && 'jobsPerSec' in baseline ? baseline.jobsPerSec : Number.NaN;
  const header = ['system', 'jobs/s', 'p50 ms', 'p99 ms', 'x this service'];
  const body = rows.map((row) =>
    'failed' in row
      ? [row.system, `failed: ${row.failed}`, '', '', '']
      : [
          row.system,
          fixed(row.jobsPerSec, 0),
          fixed(row.p50Ms, 1),
          fixed(row.p99Ms, 1),
          Number.isFinite(base) ? `${(row.jobsPerSec / base).toFixed(2)}x` : '-',
        ],
  );
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...body.map((line) => (line[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  const notes = rows.flatMap((row) => ('note' in row ? [`- ${row.system}: ${row.note}`] : []));
  return [line(header), rule, ...body.map(line), '', ...notes].join('\n');
}
