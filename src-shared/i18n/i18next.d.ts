import 'i18next';
import type { en } from './catalogue.ts';

// Types every t() call against the English catalogue: a key that is not in it fails `tsc`.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    keySeparator: false;
    nsSeparator: ':';
    resources: typeof en;
  }
}
