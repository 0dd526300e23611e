/** What a message shows in place of a query value. */
const MASK = '***';

/**
 * A URL as any error or log message may show it: no userinfo, every query value masked, no
 * fragment. URLs in job payloads carry credentials (`https://user:pass@host`, pre-signed
 * `?token=` links), and messages end up in job errors, events and dead letters, which are read
 * far more widely than the payload; the path and the query's keys are enough to tell which call failed.
 */
export function urlForMessage(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(unparsable URL)';
  }
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  const params = [...parsed.searchParams];
  parsed.search = '';
  const query = params.map(([key, value]) => `${encodeURIComponent(key)}=${value ? MASK : ''}`).join('&');
  return `${parsed.href}${query ? `?${query}` : ''}`;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+/gi;

/** Text from elsewhere (a library's error message) with every http(s) URL in it shown as urlForMessage shows it. */
export const withUrlsMasked = (text: string): string =>
  text.replace(URL_IN_TEXT, (url) => urlForMessage(url));
