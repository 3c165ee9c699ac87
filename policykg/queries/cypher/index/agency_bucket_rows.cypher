// title: One bucket's rows between two keys
// description: The rows of agency_measures filed in one key bucket, after one key and up to another, in no set order (the agency's name comes from agency_key_buckets).
// param: bucket: str — the bucket's id
// param: role: str{lead|support|joint|any} = any — lead, support, joint, or any role
// param: after: int = -1 — only rows after this sort key
// param: upto: int — only rows up to this sort key
// returns: id, ref, text, role, as_written, position, deadline, section_path, doc_id, document, sort_key
// mode: read
MATCH (b:KeyBucket {id: $bucket})-[f:FILED]->(m:Measure)
WHERE f.sort_key > $after AND f.sort_key <= $upto
  AND ($role = 'any' OR f.sort_key % 4 = list_position(['joint', 'lead', 'support'], $role) - 1)
RETURN m.id AS id, m.ref AS ref, m.text AS text, f.role AS role, f.as_written AS as_written,
       f.position AS position, m.deadline AS deadline, m.section_path AS section_path, m.doc_id AS doc_id,
       m.doc_title AS document, f.sort_key AS sort_key
