/**
 * Expression dimension items (dhis2-core master ExpressionDimensionItemObjectBundleHook): E7137 an item whose
 * expression DHIS2 cannot parse as an indicator expression (ExpressionDimensionItemService.isValidExpressionItems:
 * blank or `null`, refused by the grammar, an item or function indicators do not support, a result that is not a
 * number, or an item naming an object that is not stored — DHIS2 looks them up in the database, not in the payload).
 * DHIS2 passes the expression and "Not a valid expression" as the arguments; the message prints the first.
 * (E3012, an item the user may not read, is a server sharing rule.)
 */
import { DEFAULT_UIDS } from '../../../../src-shared/dhis2/schema/registry.ts';
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { fmt, hookError, klassOf } from './hook-support.ts';
import { validateIndicatorExpression, type ExpressionRef } from './indicator-expression.ts';

const E7137 = 'Expression is not parsable: `{0}`';

/** A Java String property as Jackson reads it (absent and null are null; numbers and booleans become text). */
const text = (v: unknown): string | null => (v == null || typeof v === 'object' ? null : String(v));

export const expressionDimensionItemsCheck: MetadataCheck = {
  name: 'ExpressionDimensionItemsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const items = b.live('expressionDimensionItems');
    if (!items.length) return;
    const K = klassOf('expressionDimensionItems');
    const checked = items.map((it) => ({ it, expression: text(it.obj.expression), r: validateIndicatorExpression(text(it.obj.expression)) }));
    const uids = new Set(checked.flatMap((c) => (c.r.ok ? c.r.refs.map((x) => x.uid) : [])));
    const types = new Map<string, string>();
    if (uids.size) for (const r of b.repo.preheatByUids({ translations: false, sharing: false, jsonTypes: [] }, [...uids])) types.set(r.uid, r.type);
    // the default category option combo is on every DHIS2 server, stored here or not
    const found = (x: ExpressionRef): boolean => types.get(x.uid) === x.type || DEFAULT_UIDS[x.type] === x.uid;
    for (const { it, expression, r } of checked) {
      if (r.ok && r.refs.every(found)) continue;
      const args = [expression, 'Not a valid expression'];
      hookError(b, it, K, 'E7137', fmt(E7137, ...args), args);
    }
  },
};
