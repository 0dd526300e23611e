import { z } from 'zod';
import { parseConfig } from './load-config.js';
import { upstreamUrlsSchema } from './upstream-urls.js';

const schema = z.object({ PIPELINE_URL: upstreamUrlsSchema });
const parse = (value: string | undefined) => parseConfig(schema, { PIPELINE_URL: value });

describe('a service URL variable', () => {
  it('takes one URL as a list of one, without its trailing slash', () => {
    expect(parse('http://pipeline:4004/')).toEqual({
      ok: true,
      config: { PIPELINE_URL: ['http://pipeline:4004'] },
    });
  });

  it("takes the replicas' URLs separated by commas, spaces allowed", () => {
    expect(parse('http://10.0.0.5:4004, https://10.0.0.6:4004/base/')).toEqual({
      ok: true,
      config: { PIPELINE_URL: ['http://10.0.0.5:4004', 'https://10.0.0.6:4004/base'] },
    });
  });

  it('names a bad entry by its place, without echoing the value', () => {
    const result = parse('http://a:4004,ftp://secret@b:21,');
    expect(result).toEqual({
      ok: false,
      problems: [
        'config: PIPELINE_URL is invalid: entry 2 of 3 is not an http(s) URL (give one URL, or several separated by commas)',
        'config: PIPELINE_URL is invalid: entry 3 of 3 is not an http(s) URL (give one URL, or several separated by commas)',
      ],
    });
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('refuses an empty value, a missing one, and the same URL twice', () => {
    expect(parse('')).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('the URL is not an http(s) URL')],
    });
    expect(parse(undefined)).toEqual({ ok: false, problems: ['config: PIPELINE_URL is required'] });
    expect(parse('http://a:1,http://a:1/')).toMatchObject({
      ok: false,
      problems: ['config: PIPELINE_URL is invalid: names the same URL twice'],
    });
  });
});
