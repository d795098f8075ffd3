/**
 * A small program model for the event import tests: three org units, an event program with a POINT stage (a
 * compulsory NUMBER and an option set data element), an event program with a category combo whose option has dates,
 * and a tracker program (person type with a mandatory name, a unique national id, a mandatory program attribute).
 */
import type { Db } from '../../src-main/db/open.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';

export const EVENT_METADATA: Record<string, Record<string, unknown>[]> = {
  organisationUnits: [
    { id: 'OuRoot00001', name: 'Root', code: 'ROOT', shortName: 'Root', openingDate: '1970-01-01' },
    { id: 'OuClinic001', name: 'Clinic A', code: 'CLINIC_A', shortName: 'A', openingDate: '1970-01-01', parent: { id: 'OuRoot00001' } },
    { id: 'OuClinic002', name: 'Clinic B', code: 'CLINIC_B', shortName: 'B', openingDate: '1970-01-01', parent: { id: 'OuRoot00001' } },
  ],
  optionSets: [{ id: 'OptSetSex01', name: 'Sex', valueType: 'TEXT', options: [{ id: 'OptMale0001' }, { id: 'OptFemale01' }] }],
  options: [
    { id: 'OptMale0001', code: 'MALE', name: 'Male', optionSet: { id: 'OptSetSex01' } },
    { id: 'OptFemale01', code: 'FEMALE', name: 'Female', optionSet: { id: 'OptSetSex01' } },
  ],
  dataElements: [
    { id: 'DeWeight001', name: 'Weight', code: 'WEIGHT', valueType: 'NUMBER', domainType: 'TRACKER' },
    { id: 'DeSex000001', name: 'Sex', code: 'SEX', valueType: 'TEXT', optionSet: { id: 'OptSetSex01' }, domainType: 'TRACKER' },
    { id: 'DeOther0001', name: 'Other', valueType: 'TEXT', domainType: 'TRACKER' },
  ],
  categoryOptions: [
    { id: 'CoProjectA1', name: 'Project A', startDate: '2024-01-01T00:00:00.000', endDate: '2024-12-31T00:00:00.000' },
    { id: 'CoProjectB1', name: 'Project B' },
  ],
  categories: [{ id: 'CatProject1', name: 'Project', categoryOptions: [{ id: 'CoProjectA1' }, { id: 'CoProjectB1' }] }],
  categoryCombos: [{ id: 'CcProject01', name: 'Projects', categories: [{ id: 'CatProject1' }] }],
  categoryOptionCombos: [
    { id: 'CocProjA001', name: 'Project A', categoryCombo: { id: 'CcProject01' }, categoryOptions: [{ id: 'CoProjectA1' }] },
    { id: 'CocProjB001', name: 'Project B', categoryCombo: { id: 'CcProject01' }, categoryOptions: [{ id: 'CoProjectB1' }] },
  ],
  trackedEntityAttributes: [
    { id: 'TeaName0001', name: 'Name', valueType: 'TEXT' },
    { id: 'TeaNatId001', name: 'National id', valueType: 'TEXT', unique: true },
    { id: 'TeaAge00001', name: 'Age', valueType: 'INTEGER_ZERO_OR_POSITIVE' },
  ],
  relationshipTypes: [
    {
      id: 'RelTypeMot1', name: 'Mother of', fromConstraint: { relationshipEntity: 'TRACKED_ENTITY_INSTANCE', trackedEntityType: { id: 'TetPerson01' } },
      toConstraint: { relationshipEntity: 'TRACKED_ENTITY_INSTANCE', trackedEntityType: { id: 'TetPerson01' } },
    },
  ],
  trackedEntityTypes: [{ id: 'TetPerson01', name: 'Person', trackedEntityTypeAttributes: [{ trackedEntityAttribute: { id: 'TeaName0001' }, mandatory: true }] }],
  programs: [
    {
      id: 'ProgEvent01', name: 'Malaria cases', code: 'MALARIA', shortName: 'Malaria', programType: 'WITHOUT_REGISTRATION',
      organisationUnits: [{ id: 'OuClinic001' }], programStages: [{ id: 'StageCase01' }],
    },
    {
      id: 'ProgProj001', name: 'Project visits', shortName: 'Visits', programType: 'WITHOUT_REGISTRATION', categoryCombo: { id: 'CcProject01' },
      organisationUnits: [{ id: 'OuClinic001' }], programStages: [{ id: 'StageProj01' }],
    },
    {
      id: 'ProgTrack01', name: 'ANC', shortName: 'ANC', programType: 'WITH_REGISTRATION', trackedEntityType: { id: 'TetPerson01' },
      organisationUnits: [{ id: 'OuClinic001' }, { id: 'OuClinic002' }], programStages: [{ id: 'StageVisit1' }],
      programTrackedEntityAttributes: [{ trackedEntityAttribute: { id: 'TeaAge00001' }, mandatory: true }, { trackedEntityAttribute: { id: 'TeaNatId001' } }],
    },
  ],
  programStages: [
    {
      id: 'StageCase01', name: 'Case', code: 'CASE', program: { id: 'ProgEvent01' }, featureType: 'POINT', validationStrategy: 'ON_COMPLETE',
      programStageDataElements: [{ dataElement: { id: 'DeWeight001' }, compulsory: true }, { dataElement: { id: 'DeSex000001' } }],
    },
    { id: 'StageProj01', name: 'Visit', program: { id: 'ProgProj001' }, programStageDataElements: [{ dataElement: { id: 'DeWeight001' } }] },
    { id: 'StageVisit1', name: 'ANC visit', program: { id: 'ProgTrack01' }, repeatable: true, programStageDataElements: [{ dataElement: { id: 'DeWeight001' } }] },
  ],
};

/** Stores EVENT_METADATA in `db` (one transaction). */
export function loadEventMetadata(db: Db): void {
  const repo = new MetadataRepo(db);
  db.transaction(() => {
    for (const [type, list] of Object.entries(EVENT_METADATA)) for (const o of list) repo.upsert(type, o);
    repo.rebuildOrgUnitPaths();
  })();
}
