// title: The rows of a page of an agency's measures
// description: The rows of agency_measures whose sort keys lie after one key and up to another (at most 10,000), in no set order: a page's own rows once agency_measures_keys has found where it ends (the page reader puts them in key order). Without ORDER BY, and without SKIP or LIMIT parameters, LadybugDB reads them in about half the time. A page of one document is read by agency_measures in one go.
// param: name: str — the agency's id
// param: role: str{lead|support|joint|any} = any — lead, support, joint, or any role
// param: after: int = -1 — only rows after this sort key
// param: upto: int — only rows up to this sort key
// returns: agency, id, ref, text, role, as_written, position, deadline, section_path, doc_id, document, sort_key
// mode: read
MATCH (a:Agency {id: $name})-[r:ASSIGNED]->(m:Measure)
WHERE r.sort_key > $after AND r.sort_key <= $upto AND ($role = 'any' OR r.role = $role)
RETURN a.name AS agency, m.id AS id, m.ref AS ref, m.text AS text, r.role AS role, r.as_written AS as_written,
       r.position AS position, m.deadline AS deadline, m.section_path AS section_path, m.doc_id AS doc_id,
       m.doc_title AS document, r.sort_key AS sort_key
LIMIT 10000
