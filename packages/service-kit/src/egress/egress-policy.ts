import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { classifyAddress } from './address-class.js';
import { EgressRefusedError } from './egress-errors.js';
import { urlForMessage } from './url-for-message.js';

export interface EgressPolicyInput {
  /** `host`, `host:port`, `*.example.com` (its subdomains) or `*` (any host); nothing else is reachable. */
  allowedHosts?: readonly string[];
  /**
   * Non-public addresses allowed all the same: CIDRs (`10.1.0.0/16`), single addresses
   * (`127.0.0.1`, `::1`) or hostnames (`executor.corp`, `*.corp`) whose addresses may be private.
   */
  allowPrivate?: readonly string[];
  /** Base URLs of the platform's own services: their host and port are allowed without listing. */
  platformUrls?: readonly string[];
}

export interface EgressPolicy {
  /** Throws EgressRefusedError unless `url` may be requested (scheme, host, and an IP literal's range). */
  checkUrl(url: URL): void;
  /** Throws EgressRefusedError unless `hostname` may be reached at `address`, one of its resolved addresses. */
  checkAddress(hostname: string, address: string): void;
}

interface HostPattern {
  host: string;
  port?: string;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** `host`, `host:port`, `[v6]`, `[v6]:port`; a bare IPv6 address has no port. */
export function parseHostPattern(entry: string): HostPattern {
  const value = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] };
  const withPort = /^([^:]+):(\d+)$/.exec(value);
  if (withPort) return { host: withPort[1] as string, port: withPort[2] };
  return { host: value };
}

const hostMatches = (pattern: string, hostname: string) =>
  pattern === '*' ||
  pattern === hostname ||
  (pattern.startsWith('*.') && hostname.endsWith(pattern.slice(1)));

function originPattern(baseUrl: string): HostPattern {
  const url = new URL(baseUrl);
  return { host: bare(url.hostname), port: url.port || DEFAULT_PORTS[url.protocol] };
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseCidr(entry: string): Cidr | undefined {
  const value = bare(entry.trim());
  if (ipaddr.isValidCIDR(value)) return ipaddr.parseCIDR(value);
  if (isIP(value)) {
    const address = ipaddr.process(value);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  }
  return undefined;
}

/** The one decision of where workers may send requests; pure, so the fetch path only asks it. */
export function createEgressPolicy(input: EgressPolicyInput): EgressPolicy {
  const hosts = [
    ...(input.allowedHosts ?? []).map(parseHostPattern),
    ...(input.platformUrls ?? []).map(originPattern),
  ];
  const privateCidrs: Cidr[] = [];
  const privateHosts: string[] = [];
  for (const entry of input.allowPrivate ?? []) {
    const cidr = parseCidr(entry);
    if (cidr) privateCidrs.push(cidr);
    else privateHosts.push(entry.trim().toLowerCase());
  }

  const privateAllowed = (hostname: string, address: string) => {
    const parsed = ipaddr.process(bare(address));
    return (
      privateHosts.some((pattern) => hostMatches(pattern, hostname)) ||
      privateCidrs.some(([net, bits]) => net.kind() === parsed.kind() && parsed.match(net, bits))
    );
  };

  const checkAddress = (hostname: string, address: string) => {
    const range = classifyAddress(address);
    if (range === 'public' || privateAllowed(bare(hostname), address)) return;
    throw new EgressRefusedError(
      'address',
      `${bare(address)} (${range}) for host ${bare(hostname)}; allow it in EGRESS_ALLOW_PRIVATE`,
    );
  };

  return {
    checkUrl(url) {
      if (!(url.protocol in DEFAULT_PORTS)) {
        throw new EgressRefusedError(
          'protocol',
          `${url.protocol} is not http or https (${urlForMessage(url)})`,
        );
      }
      // fetch refuses them anyway, with the whole URL in its message; refused here, they stay out of errors.
      if (url.username || url.password) {
        throw new EgressRefusedError(
          'credentials',
          `credentials in the URL ${urlForMessage(url)} are not sent; use a header`,
        );
      }
      const hostname = bare(url.hostname);
      const port = url.port || DEFAULT_PORTS[url.protocol];
      if (!hosts.some((p) => hostMatches(p.host, hostname) && (p.port === undefined || p.port === port))) {
        throw new EgressRefusedError('host', `host ${url.host} is not in EGRESS_ALLOWED_HOSTS`);
      }
      // A literal address is connected to without a lookup, so it is checked here.
      if (isIP(hostname)) checkAddress(hostname, hostname);
    },
    checkAddress,
  };
}
