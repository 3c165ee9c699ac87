// title: Measures concerning one industry
// description: The measures that mention an industry of the dictionary (given by name or GB/T 4754 code), in document order, with their lead and jointly responsible agencies. Pages resume after a sort key (the API's `cursor`); industry_measures_keys finds where a page ends.
// param: name: str — industry name or code
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// param: after: int = -1 — only rows after this sort key (the API's cursor carries it)
// param: upto: int = 9223372036854775807 — only rows up to this sort key (where the page ends)
// returns: industry, id, ref, text, section_path, doc_id, document, lead, joint, sort_key
// cursor: after
// window: industry_measures_keys (embedded)
// rows: industry_measures_rows
// mode: read
MATCH (i:Industry)
WHERE i.id = $name OR i.name = $name OR i.code = $name
MATCH (m:Measure)-[c:CONCERNS]->(i)
WHERE c.sort_key > $after AND c.sort_key <= $upto
WITH i, m, c ORDER BY c.sort_key, i.id SKIP $offset
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
WITH i, m, c LIMIT $limit
OPTIONAL MATCH (a:Agency)-[r:ASSIGNED]->(m)
WITH i, m, c, a, r ORDER BY r.position, a.id SKIP 0
WITH i, m, c,
     collect(CASE WHEN r.role = 'lead' THEN a.name ELSE NULL END) AS lead,
     collect(CASE WHEN r.role = 'joint' THEN a.name ELSE NULL END) AS joint
RETURN i.name AS industry, m.id AS id, m.ref AS ref, m.text AS text, m.section_path AS section_path,
       m.doc_id AS doc_id, m.doc_title AS document, lead, joint, c.sort_key AS sort_key
ORDER BY sort_key, industry
