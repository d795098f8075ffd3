/** SQLite's application_id of a Ferry database: the ASCII bytes 'FRRY' (0x46525259), stored big-endian at offset 68. */
export const FERRY_APPLICATION_ID = 0x46525259;

/** Tables every Ferry database has had since migration 1: how a database from before 0005 is recognised. */
export const FERRY_CORE_TABLES = ['job', 'job_file', 'metadata_object', 'metadata_ref', 'org_unit', 'period', 'data_value'] as const;
