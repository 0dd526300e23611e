import { defineGauge } from './registry.js';

const processInfo = defineGauge({
  name: 'delivery_process_info',
  help: 'Always 1; names the process (gateway, job-runner-worker, ...) for joins in queries',
  labelNames: ['process'] as const,
});

/** Names this process on /metrics. */
export function nameProcess(name: string): void {
  processInfo.set({ process: name }, 1);
}
