/**
 * Event and tracker import conformance cases Ferry does not meet yet, each with its reason. They run as expected
 * failures (vitest `it.fails`), so a case that starts passing is noticed: remove it from this list then.
 */
export const EVENTS_EXPECTED_FAILURES: Readonly<Record<string, string>> = {
};
