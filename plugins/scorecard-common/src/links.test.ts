import { isSafeLink } from './links';

describe('isSafeLink', () => {
  it('accepts http(s) URLs and paths within the portal', () => {
    for (const link of [
      'https://docs.example.com/replicas#why',
      'http://wiki.internal/runbooks',
      '/create/templates/default/service-nodejs',
    ]) {
      expect([link, isSafeLink(link)]).toEqual([link, true]);
    }
  });

  it('refuses script, data and protocol-relative links, however disguised', () => {
    /* eslint-disable no-script-url */
    for (const link of [
      'javascript:alert(document.cookie)',
      ' javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      '//evil.example/phish',
      '/\\evil.example/phish',
      '/\t/evil.example',
      'docs/relative',
    ]) {
      /* eslint-enable no-script-url */
      expect([link, isSafeLink(link)]).toEqual([link, false]);
    }
  });
});
