/**
 * OAuth2 runtime state (dhis2-core master): authorizations (tokens, codes) and authorization consents are written by
 * the server's authorization server only, so a metadata payload may not create, update or delete them. Every
 * `oAuth2Authorizations` / `oAuth2AuthorizationConsents` object is refused with E6023 "Type `{0}` cannot be imported
 * via metadata", `{0}` the class's simple name: for CREATE, UPDATE and CREATE_AND_UPDATE by the types' object bundle
 * hooks (Dhis2OAuth2AuthorizationObjectBundleHook, Dhis2OAuth2AuthorizationConsentObjectBundleHook, so the error comes
 * first and the object is removed at the end of the chain), for DELETE by OAuth2RuntimeStateCheck, first in the
 * DELETE chain, which marks the object without removing it: DeletionCheck then reports the object it cannot find
 * (E5001) too. Ferry never stores such objects. OAuth2 clients are recognised but skipped (see the registry).
 * (Named OAuthRuntimeStateCheck, not OAuth2…, so that the check registry's name-to-file rule gives this file.)
 */
import type { MetadataCheck } from './check.ts';
import { fmt, hookError, klassOf } from './hook-support.ts';

const E6023 = 'Type `{0}` cannot be imported via metadata';
export const OAUTH2_RUNTIME_TYPES = ['oAuth2Authorizations', 'oAuth2AuthorizationConsents'] as const;

export const oauthRuntimeStateCheck: MetadataCheck = {
  name: 'OAuthRuntimeStateCheck',
  strategies: ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE'],
  lenient: true,
  run(b) {
    for (const type of OAUTH2_RUNTIME_TYPES) {
      const K = klassOf(type);
      const simple = K.slice(K.lastIndexOf('.') + 1);
      const message = fmt(E6023, simple);
      for (const it of b.live(type)) {
        // DELETE: kept for DeletionCheck; fixtures (lenient) skip the end of the hook chain, so they are removed now
        if (b.opts.importStrategy === 'DELETE' || b.opts.lenient) b.error(it, 'E6023', message, { mainKlass: K, args: [simple] }, !!b.opts.lenient);
        else hookError(b, it, K, 'E6023', message, [simple]);
      }
    }
  },
};
