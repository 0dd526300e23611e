import { uniqueName } from './isolation.js';
import { rabbitmqctl } from './rabbitmqctl.js';

export interface IsolatedVhost {
  name: string;
  /** AMQP_URL pointing at the vhost, with the base URL's host and credentials. */
  url: string;
  delete(): Promise<void>;
}

/**
 * A RabbitMQ virtual host of one's own: services under test declare their real queue and
 * exchange names without colliding with other test files on the same broker, and deleting the
 * vhost removes everything they declared. Needs rabbitmqctl for the broker (the local one).
 */
export async function createIsolatedVhost(baseUrl: string, prefix = 'test'): Promise<IsolatedVhost> {
  const name = uniqueName(prefix);
  await rabbitmqctl(['add_vhost', name]);
  const url = new URL(baseUrl);
  await rabbitmqctl([
    'set_permissions',
    '-p',
    name,
    decodeURIComponent(url.username || 'guest'),
    '.*',
    '.*',
    '.*',
  ]);
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: url.toString(),
    delete: async () => {
      await rabbitmqctl(['delete_vhost', name]);
    },
  };
}
