/**
 * Data/ADX conformance cases Ferry is known not to pass, with the reason. Each runs as `it.fails`, so the day one
 * starts passing the suite says so and it can be removed from this list.
 */
export const DATA_EXPECTED_FAILURES: Record<string, string> = {};
