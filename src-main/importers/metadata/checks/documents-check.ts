/**
 * DocumentObjectBundleHook.validate: E4000 a document without a url; E4004 an external document whose url is not an
 * http(s) URL (DHIS2's URL_PATTERN, whole value). An internal document's url names a file resource held by the server
 * (E4015 not found, E4016 already assigned): Ferry has no file resources, so those are not checked offline.
 */
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { fmt, hookError, klassOf } from './hook-support.ts';

const URL_PATTERN = /^https?:\/\/[-a-zA-Z0-9+&@#/%?=~_|!:,.;]*[-a-zA-Z0-9+&@#/%=~_|]$/;

export const documentsCheck: MetadataCheck = {
  name: 'DocumentsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const K = klassOf('documents');
    for (const it of b.live('documents')) {
      const url = it.obj.url;
      if (url == null) hookError(b, it, K, 'E4000', fmt('Missing required property `{0}`', 'url'), ['url'], { errorProperty: 'url' });
      else if (it.obj.external === true && !URL_PATTERN.test(String(url))) {
        hookError(b, it, K, 'E4004', fmt('Property `{0}` requires a valid URL, was given `{1}`', 'url', String(url)), ['url', String(url)], { errorProperty: 'url', value: String(url) });
      }
    }
  },
};
