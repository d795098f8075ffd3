import type { Migration } from '../migrate.ts';
import { m0001 } from './0001-initial.ts';
import { m0002 } from './0002-system-defaults.ts';
import { m0003 } from './0003-data-value-ou-first.ts';
import { m0004 } from './0004-job-owner.ts';
import { m0005 } from './0005-application-id.ts';
import { m0006 } from './0006-data-value-compact.ts';
import { m0007 } from './0007-events.ts';
import { m0008 } from './0008-dhis14.ts';
import { m0009 } from './0009-journal.ts';
import { m0010 } from './0010-transfer.ts';
import { m0011 } from './0011-transfer-received.ts';
import { m0012 } from './0012-live-counts.ts';
import { m0013 } from './0013-event-value-journal.ts';

/** Listed by hand: no directory scanning (works inside asar and bundles). */
export const MIGRATIONS: Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013];
