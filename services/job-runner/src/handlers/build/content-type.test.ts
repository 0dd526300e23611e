import { contentTypeAllowed, essence } from './content-type.js';

describe('contentTypeAllowed', () => {
  it('matches exactly, ignoring case and parameters', () => {
    expect(essence('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(contentTypeAllowed('application/json; charset=utf-8', ['application/json'])).toBe(true);
    expect(contentTypeAllowed('application/zip', ['application/json'])).toBe(false);
  });

  it('supports wildcards', () => {
    expect(contentTypeAllowed('application/zip', ['application/*'])).toBe(true);
    expect(contentTypeAllowed('text/plain', ['application/*'])).toBe(false);
    expect(contentTypeAllowed('application/vnd.cyclonedx+json', ['application/*+json'])).toBe(true);
    expect(contentTypeAllowed('image/png', ['*/*'])).toBe(true);
    expect(contentTypeAllowed('image/png', ['text/plain', '*'])).toBe(true);
  });

  it('treats regex characters in patterns literally', () => {
    expect(contentTypeAllowed('application/vndXcyclonedx', ['application/vnd.cyclonedx'])).toBe(false);
  });
});
