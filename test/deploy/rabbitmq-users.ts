import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { rabbitmqctl, requiredEnv, uniqueName } from '@delivery/testing';
import { COMPOSE_SERVICES, type ComposeService } from './compose-file.js';

const script = fileURLToPath(new URL('../../deploy/compose/rabbitmq-users.sh', import.meta.url));

/**
 * The users compose makes (deploy/compose/rabbitmq-users.sh), made by that same script on the
 * local broker: on a vhost of their own and with a prefix before each name, so that they collide
 * with nothing else on the shared broker. `remove()` deletes the users and the vhost.
 */
export class ComposeRabbitUsers {
  private running: ChildProcess | undefined;

  private constructor(
    readonly vhost: string,
    readonly prefix: string,
    private readonly passwords: Record<ComposeService, string>,
  ) {}

  /** Names and passwords only: `apply()` makes them. */
  static plan(vhost = uniqueName('compose')): ComposeRabbitUsers {
    const passwords = Object.fromEntries(
      Object.keys(COMPOSE_SERVICES).map((service) => [service, randomBytes(24).toString('hex')]),
    ) as Record<ComposeService, string>;
    return new ComposeRabbitUsers(vhost, `${uniqueName('cu')}-`, passwords);
  }

  /** Runs the script (again), as compose's `rabbitmq-users` does on every `up`. */
  async apply(): Promise<string> {
    const passwordVariables = Object.fromEntries(
      Object.entries(COMPOSE_SERVICES).map(([service, { variable }]) => [
        `${variable}_AMQP_PASSWORD`,
        this.passwords[service as ComposeService],
      ]),
    );
    const env = {
      ...process.env,
      RABBITMQ_VHOST: this.vhost,
      RABBITMQ_USER_PREFIX: this.prefix,
      ...passwordVariables,
    };
    return new Promise((resolve, reject) => {
      this.running = execFile('sh', [script], { env }, (error, stdout, stderr) => {
        this.running = undefined;
        if (error) reject(new Error(`${script} failed: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      });
    });
  }

  changePassword(service: ComposeService, password: string): void {
    this.passwords[service] = password;
  }

  userOf(service: ComposeService): string {
    return `${this.prefix}${service}`;
  }

  /** The AMQP URL a process of `service` gets: its user, on the vhost. */
  urlOf(service: ComposeService, password = this.passwords[service]): string {
    const url = new URL(requiredEnv('AMQP_URL'));
    url.username = encodeURIComponent(this.userOf(service));
    url.password = encodeURIComponent(password);
    url.pathname = `/${encodeURIComponent(this.vhost)}`;
    return url.toString();
  }

  /** Deletes what the script made (the users; the vhost unless `keepVhost`). */
  async remove({ keepVhost = false } = {}): Promise<void> {
    // A run cut short by a test's timeout would otherwise make users after they were deleted.
    const running = this.running;
    if (running && running.exitCode === null) {
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    }
    for (const service of Object.keys(COMPOSE_SERVICES) as ComposeService[]) {
      await rabbitmqctl(['delete_user', this.userOf(service)]).catch(() => undefined);
    }
    if (!keepVhost) await rabbitmqctl(['delete_vhost', this.vhost]).catch(() => undefined);
  }
}
