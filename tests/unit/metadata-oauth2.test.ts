/**
 * OAuth2 runtime state in a metadata payload (dhis2-core master: Dhis2OAuth2AuthorizationObjectBundleHook,
 * Dhis2OAuth2AuthorizationConsentObjectBundleHook, OAuth2RuntimeStateCheck): every authorization and authorization
 * consent is refused with E6023 (DHIS2's message, class, argument and the type's counts), in JSON and XML, for every
 * import strategy; atomic mode ALL writes nothing, NONE keeps the other objects; OAuth2 clients are skipped with a
 * reason; the CLI prints the code like every other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src-shared/dhis2/import-summary.ts';
import { ferryCli } from '../helpers/cli.ts';
import { useMetadataService } from '../helpers/metadata-service.ts';
import { tmpDir } from '../helpers/tmp.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };
const AUTH = 'org.hisp.dhis.security.oauth2.authorization.Dhis2OAuth2Authorization';
const CONSENT = 'org.hisp.dhis.security.oauth2.consent.Dhis2OAuth2AuthorizationConsent';
const AUTH_MSG = 'Type `Dhis2OAuth2Authorization` cannot be imported via metadata';
const CONSENT_MSG = 'Type `Dhis2OAuth2AuthorizationConsent` cannot be imported via metadata';

const de = (id: string): Obj => ({ id, name: id, shortName: id, valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM' });
const payload = (): Obj => ({
  dataElements: [de('DataElemA01')],
  oAuth2Authorizations: [
    { id: 'OAuthAuth01', registeredClientId: 'ClientAbc01', principalName: 'admin', authorizationGrantType: 'authorization_code' },
    { id: 'OAuthAuth02', registeredClientId: 'ClientAbc01', principalName: 'other', accessTokenValue: 'forged' },
  ],
  oAuth2AuthorizationConsents: [{ id: 'OAuthCons01', registeredClientId: 'ClientAbc01', principalName: 'admin', authorities: 'SCOPE_ALL' }],
});

describe('OAuth2 authorizations and consents in a metadata payload', () => {
  it('E6023 for each object; atomic mode ALL writes nothing of the payload', async () => {
    const r = await svc.run(payload());
    expect(r.report.status).toBe('ERROR');
    expect(r.errors.map((e) => [e.errorCode, e.klass, e.index, e.uid, e.message, e.mainKlass, e.args])).toEqual([
      ['E6023', AUTH, 0, 'OAuthAuth01', AUTH_MSG, AUTH, ['Dhis2OAuth2Authorization']],
      ['E6023', AUTH, 1, 'OAuthAuth02', AUTH_MSG, AUTH, ['Dhis2OAuth2Authorization']],
      ['E6023', CONSENT, 0, 'OAuthCons01', CONSENT_MSG, CONSENT, ['Dhis2OAuth2AuthorizationConsent']],
    ]);
    expect(r.stats('Dhis2OAuth2Authorization')).toEqual({ created: 0, updated: 0, ignored: 2, total: 2 });
    expect(r.stats('Dhis2OAuth2AuthorizationConsent')).toEqual({ created: 0, updated: 0, ignored: 1, total: 1 });
    expect(r.stats('DataElement')).toEqual({ created: 0, updated: 0, ignored: 1, total: 1 });
    expect(svc.stored('DataElemA01')).toBeUndefined();
  });

  it('atomic mode NONE (and strategy CREATE) keeps the other objects and stores no OAuth2 object', async () => {
    for (const importStrategy of ['CREATE_AND_UPDATE', 'CREATE']) {
      const r = await svc.run({ ...payload(), dataElements: [de(importStrategy === 'CREATE' ? 'DataElemB01' : 'DataElemA01')] }, { ...NONE, importStrategy });
      expect(r.report.status).toBe('WARNING');
      expect(r.errors.map((e) => [e.errorCode, e.uid])).toEqual([['E6023', 'OAuthAuth01'], ['E6023', 'OAuthAuth02'], ['E6023', 'OAuthCons01']]);
      expect(r.stats('Dhis2OAuth2Authorization')).toEqual({ created: 0, updated: 0, ignored: 2, total: 2 });
      expect(r.stats('DataElement')).toEqual({ created: 1, updated: 0, ignored: 0, total: 1 });
    }
    expect(svc.stored('DataElemA01')).toBeDefined();
    expect(svc.stored('DataElemB01')).toBeDefined();
    expect(svc.count('oAuth2Authorizations') + svc.count('oAuth2AuthorizationConsents')).toBe(0);
  });

  it('strategy DELETE: E6023 first (OAuth2RuntimeStateCheck), then DeletionCheck cannot find the object (E5001)', async () => {
    const r = await svc.run({ oAuth2Authorizations: [{ id: 'OAuthAuth01', principalName: 'admin' }] }, { ...NONE, importStrategy: 'DELETE' });
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.mainKlass])).toEqual([['E6023', 'OAuthAuth01', AUTH], ['E5001', 'OAuthAuth01', AUTH]]);
    expect(r.errors[0]!.message).toBe(AUTH_MSG);
    expect(r.stats('Dhis2OAuth2Authorization')).toEqual({ created: 0, updated: 0, ignored: 1, total: 1 });
  });

  it('OAuth2 clients are recognised and skipped with the reason (server security configuration), not imported', async () => {
    const r = await svc.run({ dataElements: [de('DataElemA01')], oAuth2Clients: [{ id: 'ClientAbc01', name: 'App', clientId: 'app', clientSecret: 's' }] });
    expect(r.report.status).toBe('OK');
    expect(r.report.unknownKeys).toBeUndefined();
    expect(r.report.skippedTypes).toEqual([{ type: 'oAuth2Clients', count: 1, reason: expect.stringContaining('OAuth2 clients') as string }]);
    expect(svc.count('oAuth2Clients')).toBe(0);
  });

  it('DXF2 XML and the CLI: the same E6023 refusals, printed with the code and message', async () => {
    const dir = tmpDir('ferry-oauth2-');
    try {
      const f = path.join(dir, 'metadata.xml');
      fs.writeFileSync(f, `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://dhis2.org/schema/dxf/2.0">
  <dataElements><dataElement id="DataElemA01" name="DE A" shortName="DE A" valueType="NUMBER" domainType="AGGREGATE" aggregationType="SUM"/></dataElements>
  <oAuth2Authorizations><oAuth2Authorization id="OAuthAuth01"><principalName>admin</principalName></oAuth2Authorization></oAuth2Authorizations>
  <oAuth2AuthorizationConsents><oAuth2AuthorizationConsent id="OAuthCons01"><principalName>admin</principalName></oAuth2AuthorizationConsent></oAuth2AuthorizationConsents>
</metadata>`);
      const db = path.join(dir, 'site.sqlite');
      const json = await ferryCli(['--db', db, 'import', f, '--atomic-mode', 'NONE', '--dry-run', '--json']);
      expect(json.code, json.stderr).toBe(0);
      const rep = json.json<ImportReport>();
      expect(rep.typeReports.map((t) => [t.klass, t.stats.created, t.stats.ignored])).toEqual([
        ['org.hisp.dhis.dataelement.DataElement', 1, 0], [AUTH, 0, 1], [CONSENT, 0, 1],
      ]);
      expect(rep.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports.map((e) => [e.errorCode, e.message])))).toEqual([
        ['E6023', AUTH_MSG], ['E6023', CONSENT_MSG],
      ]);
      const text = await ferryCli(['--db', db, 'import', f, '--atomic-mode', 'NONE', '--dry-run']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('Dhis2OAuth2Authorization: created 0, updated 0, deleted 0, ignored 1');
      expect(text.stdout).toContain(`E6023 ${AUTH_MSG}`);
      expect(text.stdout).toContain(`E6023 ${CONSENT_MSG}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
