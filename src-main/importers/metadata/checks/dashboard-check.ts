/**
 * DashboardCheck (dhis2-core master, last in the chain):
 *  - E4070: a layout with more than 60 columns; the dashboard is removed.
 *  - E4061: on a dashboard being updated, an item whose object (visualization, event visualization, map) or link item
 *    (report, document) is found neither in the payload nor stored. As in DHIS2 the error is reported but the
 *    dashboard is not removed (under atomic mode ALL the error alone stops the import). Linked users are server
 *    accounts Ferry does not hold, and E4069 (an object the user may not read) is a sharing rule: neither is checked.
 */
import { METADATA_TYPES } from '../../../../src-shared/dhis2/schema/registry.ts';
import { isObj, str } from '../objects.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';

const LAYOUT_COLUMN_LIMIT = 60;
const ITEM_KLASS = 'org.hisp.dhis.dashboard.DashboardItem';
/** embedded item property → its type and DashboardItemType */
const EMBEDDED: [prop: string, target: string, itemType: string][] = [
  ['visualization', 'visualizations', 'VISUALIZATION'],
  ['eventVisualization', 'eventVisualizations', 'EVENT_VISUALIZATION'],
  ['eventChart', 'eventCharts', 'EVENT_CHART'],
  ['eventReport', 'eventReports', 'EVENT_REPORT'],
  ['map', 'maps', 'MAP'],
];
const LINKS: [prop: string, target: string, itemType: string][] = [
  ['reports', 'reports', 'REPORTS'],
  ['resources', 'documents', 'RESOURCES'],
];

export const dashboardCheck: MetadataCheck = {
  name: 'DashboardCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const klass = METADATA_TYPES.dashboards!.klass;
    for (const it of b.live('dashboards')) {
      const uid = it.obj.id as string;
      if (it.existing) {
        for (const item of Array.isArray(it.obj.dashboardItems) ? it.obj.dashboardItems : []) {
          if (!isObj(item)) continue;
          const missing = (type: string, ref: unknown, target: string): void => {
            if (!isObj(ref) || b.resolve(target, ref)) return;
            const args = [str(item.id) ?? 'null', type, str(ref.id) ?? str(ref.code) ?? 'null'];
            b.error(it, 'E4061', `DashboardItem \`${args[0]}\` object reference \`${args[1]}\` with id \`${args[2]}\` not found`, {
              mainKlass: ITEM_KLASS, args, value: args[2],
            }, false);
          };
          const embedded = EMBEDDED.find(([p]) => isObj(item[p]));
          if (embedded) missing(typeof item.type === 'string' ? item.type : embedded[2], item[embedded[0]], embedded[1]);
          for (const [p, target, itemType] of LINKS) {
            for (const ref of Array.isArray(item[p]) ? item[p] : []) missing(typeof item.type === 'string' ? item.type : itemType, ref, target);
          }
        }
      }
      const columns = isObj(it.obj.layout) && Array.isArray(it.obj.layout.columns) ? it.obj.layout.columns : [];
      if (columns.length > LAYOUT_COLUMN_LIMIT) {
        b.error(it, 'E4070', `Dashboard \`${uid}\` has a layout with more than ${LAYOUT_COLUMN_LIMIT} columns. \`${columns.length}\` columns found`, {
          mainKlass: klass, errorProperty: 'layout', args: [uid, String(columns.length)], value: String(columns.length),
        });
      }
    }
  },
};
