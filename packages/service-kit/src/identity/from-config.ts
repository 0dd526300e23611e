import { type IdentityConfig, publicKeysOf, type SigningKeyConfig, signingKeyOf } from './identity-config.js';
import { ServiceTokens } from './service-tokens.js';
import { createIdentityVerifier, type IdentityVerifier } from './verifier.js';

/** The verifier of a process that serves HTTP (`createHttpApp({ identity })`). */
export function identityVerifierFromConfig(config: IdentityConfig): IdentityVerifier {
  return createIdentityVerifier({
    publicKeys: publicKeysOf(config),
    audience: config.IDENTITY_AUDIENCE,
    clockToleranceSeconds: config.IDENTITY_CLOCK_TOLERANCE_S,
  });
}

/** The tokens `service` sends to the services it calls; undefined when it was given no signing key. */
export function serviceTokensFromConfig(
  config: SigningKeyConfig,
  service: string,
): ServiceTokens | undefined {
  const key = signingKeyOf(config);
  return key && new ServiceTokens(key, service);
}
