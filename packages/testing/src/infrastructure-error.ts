/** Thrown when a test or the local launcher cannot get a broker or a database by any route. */
export class InfrastructureUnavailableError extends Error {
  override readonly name = 'InfrastructureUnavailableError';

  constructor(what: 'MongoDB' | 'RabbitMQ', envVar: string, localOption: string, causes: string[]) {
    super(
      [
        `No ${what} available. Do one of:`,
        `  1. set ${envVar} to a running ${what}`,
        '  2. run a Docker engine (testcontainers then starts one)',
        `  3. ${localOption}`,
        ...(causes.length ? ['What was tried:', ...causes.map((cause) => `  - ${cause}`)] : []),
      ].join('\n'),
    );
  }
}
