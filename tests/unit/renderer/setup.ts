/** Imported first by every renderer test: the app marks elements with data-test (as @dhis2/ui does). */
import { configure } from '@testing-library/react';

configure({ testIdAttribute: 'data-test' });
