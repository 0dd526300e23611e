import { EVENTS_EXCHANGE, generateBlueprintCommand } from '@delivery/contracts';
import type { Topology } from '@delivery/messaging';

export const templateBlueprintTopology: Topology = {
  eventsExchange: EVENTS_EXCHANGE,
  queues: [
    // A command whose handling fails (database down) is retried soon; the sweeper re-sends any
    // run whose command still ends up dead-lettered.
    { name: generateBlueprintCommand.queue, retryDelaysMs: [1_000, 5_000] },
  ],
};
