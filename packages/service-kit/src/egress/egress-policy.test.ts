import { EgressRefusedError } from './egress-errors.js';
import { createEgressPolicy } from './egress-policy.js';

const refusal = (fn: () => void): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EgressRefusedError);
    return (err as Error).message;
  }
  return 'allowed';
};

describe('egress policy', () => {
  const policy = createEgressPolicy({
    allowedHosts: ['api.example.com', 'ci.example.com:8443', '*.builds.example.net', '[2606:4700::1]:443'],
    allowPrivate: ['10.20.0.0/16', '::1', 'executor.corp'],
    platformUrls: ['http://blueprints.internal:4002/api'],
  });
  const check = (url: string) => refusal(() => policy.checkUrl(new URL(url)));

  it.each([
    ['https://api.example.com/x', 'allowed'],
    ['http://api.example.com:9000/x', 'allowed'],
    ['https://ci.example.com:8443/', 'allowed'],
    ['https://a.b.builds.example.net/', 'allowed'],
    ['https://[2606:4700::1]/', 'allowed'],
    ['http://blueprints.internal:4002/other', 'allowed'],
    [
      'http://blueprints.internal:4003/',
      'egress refused: host blueprints.internal:4003 is not in EGRESS_ALLOWED_HOSTS',
    ],
    ['https://ci.example.com/', 'egress refused: host ci.example.com is not in EGRESS_ALLOWED_HOSTS'],
    ['https://builds.example.net/', 'egress refused: host builds.example.net is not in EGRESS_ALLOWED_HOSTS'],
    [
      'https://evilapi.example.com/',
      'egress refused: host evilapi.example.com is not in EGRESS_ALLOWED_HOSTS',
    ],
    ['ftp://api.example.com/', 'egress refused: ftp: is not http or https (ftp://api.example.com/)'],
  ])('%s: %s', (url, expected) => {
    expect(check(url)).toBe(expected);
  });

  it('checks an address literal in the URL itself, since no lookup will happen', () => {
    const any = createEgressPolicy({ allowedHosts: ['*'] });
    expect(refusal(() => any.checkUrl(new URL('http://169.254.169.254/latest/meta-data')))).toBe(
      'egress refused: 169.254.169.254 (link-local) for host 169.254.169.254; allow it in EGRESS_ALLOW_PRIVATE',
    );
    expect(refusal(() => any.checkUrl(new URL('http://[::ffff:127.0.0.1]:8080/')))).toMatch(/\(loopback\)/);
    expect(refusal(() => any.checkUrl(new URL('http://2130706433/')))).toMatch(/127\.0\.0\.1 \(loopback\)/);
    expect(refusal(() => any.checkUrl(new URL('https://8.8.8.8/')))).toBe('allowed');
  });

  it.each([
    ['api.example.com', '10.20.3.4', 'allowed'],
    ['api.example.com', '::ffff:10.20.3.4', 'allowed'],
    [
      'api.example.com',
      '10.21.0.1',
      'egress refused: 10.21.0.1 (private) for host api.example.com; allow it in EGRESS_ALLOW_PRIVATE',
    ],
    ['api.example.com', '::1', 'allowed'],
    [
      'api.example.com',
      '127.0.0.1',
      'egress refused: 127.0.0.1 (loopback) for host api.example.com; allow it in EGRESS_ALLOW_PRIVATE',
    ],
    ['executor.corp', '192.168.7.7', 'allowed'],
    ['api.example.com', '93.184.216.34', 'allowed'],
  ])('%s at %s: %s', (hostname, address, expected) => {
    expect(refusal(() => policy.checkAddress(hostname, address))).toBe(expected);
  });

  it('allows nothing when nothing is configured', () => {
    const closed = createEgressPolicy({});
    expect(refusal(() => closed.checkUrl(new URL('https://example.com/')))).toMatch(
      /not in EGRESS_ALLOWED_HOSTS/,
    );
  });
});
