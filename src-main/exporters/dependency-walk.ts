/**
 * Metadata dependency walk (DHIS2 GET /api/{type}/{uid}/metadata, spec §4.2 and the manual's table): starting from
 * one data set, program, category combo, dashboard, data element group or option set, collects that object and
 * everything that belongs with it. Every visited object also brings the Attribute definitions of its attributeValues.
 * References are followed through the stored DXF2 JSON ({"id": uid}); objects that point *to* a root (sections of a
 * data set, rules and variables of a program, option combos of a combo) are found through metadata_ref and the JSON.
 */
import type { Db } from '../db/open.ts';
import { MetadataLookupRepo, type ObjectJson } from '../db/repos/metadata-lookups.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';

export const DEPENDENCY_ROOT_TYPES = ['dataSets', 'programs', 'categoryCombos', 'dashboards', 'dataElementGroups', 'optionSets'] as const;
export type DependencyRootType = (typeof DEPENDENCY_ROOT_TYPES)[number];

type Obj = Record<string, unknown>;
interface Stored {
  id: number;
  uid: string;
  type: string;
  json: string;
  obj: Obj;
}

const refId = (v: unknown): string | null => (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export class DependencyWalk {
  /** type → uid → stored object (insertion ordered) */
  readonly result = new Map<string, Map<string, Stored>>();
  private readonly queue: Stored[] = [];
  private readonly meta: MetadataLookupRepo;
  missing = 0;

  constructor(db: Db) {
    this.meta = new MetadataLookupRepo(db);
  }

  private load(type: string | null, uid: string): Stored | null {
    const row: ObjectJson | undefined = (type ? this.meta.objectByUid(type, uid) : undefined) ?? this.meta.objectByAnyTypeUid(uid);
    if (!row) return null;
    // a target stored under another type than expected is still taken: DHIS2 uids are global
    return { ...row, obj: JSON.parse(row.json) as Obj };
  }

  /** Adds an object by reference (uid string or {id}); counts references whose target is not stored. */
  add(type: string | null, v: unknown): void {
    const uid = typeof v === 'string' ? v : refId(v);
    if (!uid) return;
    if (type && this.result.get(type)?.has(uid)) return;
    const s = this.load(type, uid);
    if (!s) {
      this.missing++;
      return;
    }
    let m = this.result.get(s.type);
    if (!m) this.result.set(s.type, (m = new Map()));
    if (m.has(s.uid)) return;
    m.set(s.uid, s);
    this.queue.push(s);
  }

  private addAll(type: string, v: unknown): void {
    for (const x of list(v)) this.add(type, x);
  }

  /** Objects of `fromType` that reference `to` through `property` (metadata_ref, then the JSON as a fallback). */
  private referrersOf(to: Stored, fromType: string, property: string): void {
    for (const r of this.meta.referrersOfType(to.id, fromType)) this.add(fromType, r.uid);
    for (const u of this.meta.uidsReferringByJson(fromType, property, to.uid)) this.add(fromType, u);
  }

  run(rootType: string, rootId: string): this {
    if (!(DEPENDENCY_ROOT_TYPES as readonly string[]).includes(rootType))
      throw ferryError('BAD_REQUEST', 'export.dependencyRoot', { types: DEPENDENCY_ROOT_TYPES.join(', '), type: rootType });
    const root = this.meta.objectByUid(rootType, rootId) ?? this.meta.objectByCodeOrName(rootType, rootId);
    if (!root) throw ferryError('NOT_FOUND', 'export.noObject', { type: rootType, id: rootId });
    this.add(rootType, root.uid);
    while (this.queue.length) {
      const s = this.queue.shift()!;
      this.visit(s);
      s.obj = {}; // keep only the JSON text for writing
    }
    return this;
  }

  private visit(s: Stored): void {
    const o = s.obj;
    for (const av of list(o.attributeValues)) this.add('attributes', (av as Obj | null)?.attribute);
    switch (s.type) {
      case 'dataSets':
        for (const dse of list(o.dataSetElements)) {
          const e = dse as Obj;
          this.add('dataElements', e?.dataElement);
          this.add('categoryCombos', e?.categoryCombo);
        }
        this.addAll('dataElements', o.dataElements); // pre-2.27 form
        this.addAll('sections', o.sections);
        this.referrersOf(s, 'sections', 'dataSet');
        this.addAll('indicators', o.indicators);
        this.add('dataEntryForms', o.dataEntryForm);
        this.addAll('legendSets', o.legendSets);
        this.add('categoryCombos', o.categoryCombo);
        for (const op of list(o.compulsoryDataElementOperands)) {
          this.add('dataElements', (op as Obj)?.dataElement);
          this.add('categoryOptionCombos', (op as Obj)?.categoryOptionCombo);
        }
        break;
      case 'sections':
        for (const op of list(o.greyedFields)) {
          this.add('dataElements', (op as Obj)?.dataElement);
          this.add('categoryOptionCombos', (op as Obj)?.categoryOptionCombo);
        }
        this.addAll('indicators', o.indicators);
        this.addAll('dataElements', o.dataElements);
        break;
      case 'dataElements':
      case 'trackedEntityAttributes':
        this.add('categoryCombos', o.categoryCombo);
        this.add('optionSets', o.optionSet);
        this.add('optionSets', o.commentOptionSet);
        this.addAll('legendSets', o.legendSets);
        break;
      case 'categoryCombos':
        this.addAll('categories', o.categories);
        this.addAll('categoryOptionCombos', o.categoryOptionCombos);
        this.referrersOf(s, 'categoryOptionCombos', 'categoryCombo');
        break;
      case 'categories':
        this.addAll('categoryOptions', o.categoryOptions);
        break;
      case 'categoryOptionCombos':
        this.add('categoryCombos', o.categoryCombo);
        this.addAll('categoryOptions', o.categoryOptions);
        break;
      case 'optionSets':
        this.addAll('options', o.options);
        this.referrersOf(s, 'options', 'optionSet');
        break;
      case 'indicators':
        this.add('indicatorTypes', o.indicatorType);
        this.addAll('legendSets', o.legendSets);
        break;
      case 'legendSets':
        this.addAll('legends', o.legends); // only when legends are stored as their own objects
        break;
      case 'dataElementGroups':
        this.addAll('dataElements', o.dataElements);
        this.addAll('legendSets', o.legendSets);
        break;
      case 'programs':
        this.add('categoryCombos', o.categoryCombo);
        this.add('dataEntryForms', o.dataEntryForm);
        this.add('trackedEntityTypes', o.trackedEntityType);
        this.addAll('programSections', o.programSections);
        this.referrersOf(s, 'programSections', 'program');
        this.addAll('programNotificationTemplates', o.notificationTemplates);
        this.addAll('programStages', o.programStages);
        this.referrersOf(s, 'programStages', 'program');
        for (const a of list(o.programTrackedEntityAttributes)) {
          const x = a as Obj;
          if (x && x.trackedEntityAttribute) this.add('trackedEntityAttributes', x.trackedEntityAttribute);
          else this.add('programTrackedEntityAttributes', x);
        }
        this.addAll('programIndicators', o.programIndicators);
        this.referrersOf(s, 'programIndicators', 'program');
        this.addAll('programRules', o.programRules);
        this.referrersOf(s, 'programRules', 'program');
        this.addAll('programRuleVariables', o.programRuleVariables);
        this.referrersOf(s, 'programRuleVariables', 'program');
        break;
      case 'programTrackedEntityAttributes':
        this.add('trackedEntityAttributes', o.trackedEntityAttribute);
        break;
      case 'programSections':
        this.addAll('trackedEntityAttributes', o.trackedEntityAttributes);
        break;
      case 'programNotificationTemplates':
        this.add('trackedEntityAttributes', o.recipientProgramAttribute);
        this.add('dataElements', o.recipientDataElement);
        break;
      case 'programStages':
        this.addAll('programNotificationTemplates', o.notificationTemplates);
        for (const p of list(o.programStageDataElements)) {
          const x = p as Obj;
          if (x && x.dataElement) this.add('dataElements', x.dataElement);
          else this.add('programStageDataElements', x);
        }
        this.addAll('programStageSections', o.programStageSections);
        this.referrersOf(s, 'programStageSections', 'programStage');
        this.add('dataEntryForms', o.dataEntryForm);
        break;
      case 'programStageDataElements':
        this.add('dataElements', o.dataElement);
        break;
      case 'programStageSections':
        this.addAll('programIndicators', o.programIndicators);
        this.addAll('dataElements', o.dataElements);
        break;
      case 'trackedEntityTypes':
        for (const a of list(o.trackedEntityTypeAttributes)) this.add('trackedEntityAttributes', (a as Obj)?.trackedEntityAttribute);
        break;
      case 'programRules':
        this.addAll('programRuleActions', o.programRuleActions);
        this.referrersOf(s, 'programRuleActions', 'programRule');
        break;
      case 'programRuleActions':
        this.add('dataElements', o.dataElement);
        this.add('trackedEntityAttributes', o.trackedEntityAttribute);
        this.add('programIndicators', o.programIndicator);
        this.add('programStageSections', o.programStageSection);
        this.add('programStages', o.programStage);
        this.add('optionGroups', o.optionGroup);
        break;
      case 'optionGroups':
        this.add('optionSets', o.optionSet);
        this.addAll('options', o.options);
        break;
      case 'programRuleVariables':
        this.add('trackedEntityAttributes', o.trackedEntityAttribute);
        this.add('dataElements', o.dataElement);
        this.add('programStages', o.programStage);
        break;
      case 'dashboards':
        for (const item of list(o.dashboardItems)) {
          const x = item as Obj;
          if (x && Object.keys(x).length > 1) this.dashboardItem(x);
          else this.add('dashboardItems', x);
        }
        break;
      case 'dashboardItems':
        this.dashboardItem(o);
        break;
      case 'maps':
        for (const v of list(o.mapViews)) if (v && Object.keys(v as Obj).length <= 1) this.add('mapViews', v);
        break;
      default:
        break;
    }
  }

  private dashboardItem(x: Obj): void {
    this.add('visualizations', x.visualization);
    this.add('eventVisualizations', x.eventVisualization);
    this.add('eventCharts', x.eventChart);
    this.add('eventReports', x.eventReport);
    this.add('maps', x.map);
    this.add('charts', x.chart);
    this.add('reportTables', x.reportTable);
    this.addAll('reports', x.reports);
    this.addAll('documents', x.resources);
    for (const i of list(x.interpretations)) this.add('interpretations', i);
  }
}
