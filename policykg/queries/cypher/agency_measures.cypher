// title: Measures of one agency by role
// description: Everything an agency leads, supports or shares jointly ("everything the 省经信委 leads"), in document order. The agency is given by id (its canonical name); the API and `policykg query` accept an alias and resolve it first (agency_lookup, then the registry), since an exact key is an index lookup.
// param: name: str — the agency's id, its canonical name (the API and CLI turn aliases into it first)
// param: role: str{lead|support|joint|any} = any — lead, support, joint, or any role
// param: doc_id: str = '' — only measures of this document (empty: every document)
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: agency, id, ref, text, role, as_written, position, deadline, section_path, doc_id, document
// mode: read
MATCH (a:Agency {id: $name})
MATCH (d:Document)-[:INCLUDES]->(m:Measure)<-[r:ASSIGNED]-(a)
WHERE ($role = 'any' OR r.role = $role) AND ($doc_id = '' OR d.id = $doc_id)
WITH a.name AS agency, m.id AS id, m.ref AS ref, m.text AS text, r.role AS role, r.as_written AS as_written,
     r.position AS position, m.deadline AS deadline, m.section_path AS section_path, d.id AS doc_id,
     d.title AS document, coalesce(d.date_issued, '') AS issued, m.ordinal AS ordinal
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
ORDER BY issued, doc_id, ordinal, id, agency, role SKIP $offset
WITH agency, id, ref, text, role, as_written, position, deadline, section_path, doc_id, document, issued, ordinal
LIMIT $limit
RETURN agency, id, ref, text, role, as_written, position, deadline, section_path, doc_id, document
ORDER BY issued, doc_id, ordinal, id, agency, role
