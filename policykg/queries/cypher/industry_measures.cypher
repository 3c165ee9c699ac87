// title: Measures concerning one industry
// description: The measures that mention an industry of the dictionary (given by name or GB/T 4754 code), in document order, with their lead and jointly responsible agencies.
// param: name: str — industry name or code
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: industry, id, ref, text, section_path, doc_id, document, lead, joint
// mode: read
MATCH (i:Industry)
WHERE i.id = $name OR i.name = $name OR i.code = $name
MATCH (d:Document)-[:INCLUDES]->(m:Measure)-[:CONCERNS]->(i)
WITH i, d, m ORDER BY coalesce(d.date_issued, ''), d.id, m.ordinal, m.id, i.id SKIP $offset
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
WITH i, d, m LIMIT $limit
OPTIONAL MATCH (a:Agency)-[r:ASSIGNED]->(m)
WITH i, d, m, a, r ORDER BY r.position, a.id SKIP 0
WITH i, d, m,
     collect(CASE WHEN r.role = 'lead' THEN a.name ELSE NULL END) AS lead,
     collect(CASE WHEN r.role = 'joint' THEN a.name ELSE NULL END) AS joint
RETURN i.name AS industry, m.id AS id, m.ref AS ref, m.text AS text, m.section_path AS section_path,
       d.id AS doc_id, d.title AS document, lead, joint
ORDER BY coalesce(d.date_issued, ''), doc_id, m.ordinal, id, industry
