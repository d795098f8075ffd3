/**
 * Every message catalogue, one JSON file per language and namespace (src-shared/i18n/locales/<language>/<ns>.json),
 * in i18next's v4 JSON format (flat keys; plurals as key_one / key_many / key_other, by each language's CLDR rules;
 * {{name}} interpolation), which translation tools such as Weblate and Crowdin read and write.
 * English is the source: tests/unit/i18n-catalogues.test.ts fails when another language lacks one of its keys, a
 * plural form, or one of its {{variables}}.
 * Namespaces: common (words every screen uses), components (shared components), imports and exports (the wizards),
 * app (navigation, home, job overview, maintenance, sites), cli (the ferry command's text output), errors (the
 * messages the engine composes — a file's refusal, a request refused — by key and parameters: src-shared/errors.ts).
 */
import en_common from './locales/en/common.json';
import en_components from './locales/en/components.json';
import en_imports from './locales/en/imports.json';
import en_exports from './locales/en/exports.json';
import en_app from './locales/en/app.json';
import en_cli from './locales/en/cli.json';
import en_errors from './locales/en/errors.json';
import fr_common from './locales/fr/common.json';
import fr_components from './locales/fr/components.json';
import fr_imports from './locales/fr/imports.json';
import fr_exports from './locales/fr/exports.json';
import fr_app from './locales/fr/app.json';
import fr_cli from './locales/fr/cli.json';
import fr_errors from './locales/fr/errors.json';
import pt_common from './locales/pt/common.json';
import pt_components from './locales/pt/components.json';
import pt_imports from './locales/pt/imports.json';
import pt_exports from './locales/pt/exports.json';
import pt_app from './locales/pt/app.json';
import pt_cli from './locales/pt/cli.json';
import pt_errors from './locales/pt/errors.json';
import type { Language } from './languages.ts';

export const NAMESPACES = ['common', 'components', 'imports', 'exports', 'app', 'cli', 'errors'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** English, the source catalogue: its shape types every t() call (i18next.d.ts). */
export const en = { common: en_common, components: en_components, imports: en_imports, exports: en_exports, app: en_app, cli: en_cli, errors: en_errors };

type Catalogue = Record<Namespace, Record<string, string>>;

export const resources: Record<Language, Catalogue> = {
  en,
  fr: { common: fr_common, components: fr_components, imports: fr_imports, exports: fr_exports, app: fr_app, cli: fr_cli, errors: fr_errors },
  pt: { common: pt_common, components: pt_components, imports: pt_imports, exports: pt_exports, app: pt_app, cli: pt_cli, errors: pt_errors },
};
