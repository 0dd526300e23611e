import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * A service's base URL, or several separated by commas (its replicas, each its own process, when
 * no load balancer stands in front of them): `http://pipeline:4004` or
 * `http://10.0.0.5:4004,http://10.0.0.6:4004`. Parsed into a list of at least one, each without
 * a trailing slash; a bad entry is named by its place (values are never echoed: see parseConfig).
 * Callers take them in turn through service-kit's upstream pool.
 */
export const upstreamUrlsSchema = z.string().transform((text, ctx): string[] => {
  const entries = text.split(',').map((entry) => entry.trim());
  const urls: string[] = [];
  entries.forEach((entry, index) => {
    const place = entries.length > 1 ? `entry ${index + 1} of ${entries.length}` : 'the URL';
    if (!httpUrl.safeParse(entry).success) {
      ctx.addIssue({
        code: 'custom',
        message: `${place} is not an http(s) URL (give one URL, or several separated by commas)`,
      });
    } else urls.push(entry.replace(/\/+$/, ''));
  });
  if (new Set(urls).size !== urls.length) {
    ctx.addIssue({ code: 'custom', message: 'names the same URL twice' });
  }
  return urls;
});
