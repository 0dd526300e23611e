import { createEgressClient, type EgressClient } from './egress-client.js';
import type { EgressConfig } from './egress-config.js';
import { createEgressPolicy } from './egress-policy.js';

/** A worker's egress client from its config, plus the base URLs of the platform services it reads. */
export function egressFromConfig(config: EgressConfig, platformUrls: readonly string[] = []): EgressClient {
  return createEgressClient({
    policy: createEgressPolicy({
      allowedHosts: config.EGRESS_ALLOWED_HOSTS,
      allowPrivate: config.EGRESS_ALLOW_PRIVATE,
      platformUrls,
    }),
    maxBodyBytes: config.EGRESS_MAX_BODY_BYTES,
    maxRedirects: config.EGRESS_MAX_REDIRECTS,
  });
}
