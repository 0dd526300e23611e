import { rabbitmqctl } from './rabbitmqctl.js';

/**
 * Force-closes, on the broker side, every client connection whose connection name starts with
 * `prefix`, as a network cut or a broker-side kill would. Returns how many it closed.
 */
export async function closeConnectionsNamed(prefix: string): Promise<number> {
  // The tab-separated listing prints pids in the form close_connection accepts (the JSON one does not).
  const lines = (await rabbitmqctl(['list_connections', 'pid', 'client_properties', '-q'])).split('\n');
  const pids = lines
    .filter((line) => line.includes(`{"connection_name","${prefix}`))
    .map((line) => line.split('\t')[0] as string);
  for (const pid of pids) await rabbitmqctl(['close_connection', pid, 'fault test']);
  return pids.length;
}
