// title: Measures of one agency by role
// description: Everything an agency leads, supports or shares jointly ("everything the 省经信委 leads"), in document order. The agency is given by id (its canonical name); the API and `policykg query` accept an alias and resolve it first (agency_lookup, then the registry), since an exact key is an index lookup. Pages resume after a sort key (the API's `cursor`); agency_measures_keys finds where a page ends, so only its own rows are read.
// param: name: str — the agency's id, its canonical name (the API and CLI turn aliases into it first)
// param: role: str{lead|support|joint|any} = any — lead, support, joint, or any role
// param: doc_id: str = '' — only measures of this document (empty: every document)
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// param: after: int = -1 — only rows after this sort key (the API's cursor carries it)
// param: upto: int = 9223372036854775807 — only rows up to this sort key (where the page ends)
// returns: agency, id, ref, text, role, as_written, position, deadline, section_path, doc_id, document, sort_key
// cursor: after
// window: agency_measures_keys (embedded)
// index: agency_keys
// rows: agency_measures_rows
// mode: read
MATCH (a:Agency {id: $name})-[r:ASSIGNED]->(m:Measure)
WHERE r.sort_key > $after AND r.sort_key <= $upto
  AND ($role = 'any' OR r.role = $role) AND ($doc_id = '' OR r.doc_id = $doc_id)
WITH a, r, m ORDER BY r.sort_key SKIP $offset
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
WITH a, r, m LIMIT $limit
RETURN a.name AS agency, m.id AS id, m.ref AS ref, m.text AS text, r.role AS role, r.as_written AS as_written,
       r.position AS position, m.deadline AS deadline, m.section_path AS section_path, m.doc_id AS doc_id,
       m.doc_title AS document, r.sort_key AS sort_key
ORDER BY sort_key
