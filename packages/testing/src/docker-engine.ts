import { request } from 'node:http';
import { isPortOpen } from './tcp-port.js';

let answer: Promise<boolean> | undefined;

/**
 * Whether a Docker engine answers, asked once per process. This runs before testcontainers is
 * imported: without an engine testcontainers would only fail later and slower.
 */
export function isDockerEngineAvailable(timeoutMs = 1_000): Promise<boolean> {
  answer ??= pingDocker(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock', timeoutMs);
  return answer;
}

async function pingDocker(dockerHost: string, timeoutMs: number): Promise<boolean> {
  if (dockerHost.startsWith('unix://')) {
    return httpPing({ socketPath: dockerHost.slice('unix://'.length) }, timeoutMs);
  }
  if (dockerHost.startsWith('tcp://')) {
    const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
    const port = Number(url.port || (process.env.DOCKER_TLS_VERIFY ? 2376 : 2375));
    // A TLS engine needs client certificates for a real ping; an open port is taken as an answer.
    if (process.env.DOCKER_TLS_VERIFY) return isPortOpen(url.hostname, port, timeoutMs);
    return httpPing({ host: url.hostname, port }, timeoutMs);
  }
  return false;
}

function httpPing(target: { socketPath: string } | { host: string; port: number }, timeoutMs: number) {
  return new Promise<boolean>((resolve) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
