import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { parseHostPattern } from './egress-policy.js';

const HOSTNAME = /^(\*|(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/i;

const isHostname = (value: string) => HOSTNAME.test(value);

/** A comma-separated env list; every entry must pass `valid`, and each that does not is named. */
export const commaList = (valid: (entry: string) => boolean, expected: string) =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      for (const entry of entries.filter((e) => !valid(e))) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not ${expected}` });
      }
    });

const validHostPattern = (entry: string) => {
  const { host, port } = parseHostPattern(entry);
  return (isHostname(host) || isIP(host) !== 0) && (port === undefined || Number(port) <= 65_535);
};

const validPrivateEntry = (entry: string) =>
  ipaddr.isValidCIDR(entry) || isIP(entry.replace(/^\[|\]$/g, '')) !== 0 || isHostname(entry);

/**
 * The egress variables every worker that fetches shares (spread into its config schema). Unset,
 * a worker reaches only the platform's own services, and no private address at all.
 */
export const egressConfigShape = {
  /** `host`, `host:port`, `*.example.com` or `*`, comma-separated. */
  EGRESS_ALLOWED_HOSTS: commaList(validHostPattern, 'a host, host:port, *.domain or *'),
  /** CIDRs, addresses or hostnames allowed to resolve to private, loopback or link-local addresses. */
  EGRESS_ALLOW_PRIVATE: commaList(validPrivateEntry, 'a CIDR, an IP address or a hostname'),
  /** Cap of any response body read into memory. */
  EGRESS_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(1024 * 1024),
  EGRESS_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
};

export interface EgressConfig {
  EGRESS_ALLOWED_HOSTS: string[];
  EGRESS_ALLOW_PRIVATE: string[];
  EGRESS_MAX_BODY_BYTES: number;
  EGRESS_MAX_REDIRECTS: number;
}
