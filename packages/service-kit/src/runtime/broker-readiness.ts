import type { Broker } from '@delivery/messaging';
import { NotReadyError, type Readiness } from '../http/readiness.js';

/**
 * Readiness of the broker link: the connection (`broker_disconnected`) and every consumer the
 * process started (`consumer_detached:<queue>,...`), since a consumer can lose its channel
 * while the connection stays up.
 */
export function registerBrokerReadiness(readiness: Readiness, broker: Broker): void {
  readiness.register('broker', async () => {
    if (!broker.isConnected()) throw new NotReadyError('broker_disconnected');
  });
  readiness.register('consumers', async () => {
    const detached = broker.detachedConsumers();
    if (detached.length > 0) {
      throw new NotReadyError(`consumer_detached:${detached.join(',')}`);
    }
  });
}
