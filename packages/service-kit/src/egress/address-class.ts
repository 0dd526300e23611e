import ipaddr from 'ipaddr.js';

/** `public`, or the special-purpose range an address belongs to (`private`, `loopback`, `link-local`, ...). */
export type AddressClass = string;

const kebab = (range: string) => range.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Names the range of an IP address. Anything IANA reserves for a special purpose counts, not just
 * RFC 1918: loopback, link-local (cloud metadata at 169.254.169.254), CGNAT, unique-local,
 * unspecified, multicast, and IPv6 forms that embed an IPv4 address. An IPv4-mapped IPv6 address
 * is judged by the IPv4 address inside, so `::ffff:127.0.0.1` is loopback.
 */
export function classifyAddress(address: string): AddressClass {
  const parsed = ipaddr.process(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  const range = parsed.range();
  return range === 'unicast' ? 'public' : kebab(range);
}
