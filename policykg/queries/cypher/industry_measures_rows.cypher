// title: The rows of a page of an industry's measures
// description: The rows of industry_measures whose sort keys lie after one key and up to another (at most 10,000), in no set order: a page's own rows once industry_measures_keys has found where it ends; the page reader puts them in key order. Without ORDER BY, SKIP or LIMIT parameters LadybugDB reads them in about half the time.
// param: name: str — industry name or code
// param: after: int = -1 — only rows after this sort key
// param: upto: int — only rows up to this sort key
// returns: industry, id, ref, text, section_path, doc_id, document, lead, joint, sort_key
// mode: read
MATCH (i:Industry)
WHERE i.id = $name OR i.name = $name OR i.code = $name
MATCH (m:Measure)-[c:CONCERNS]->(i)
WHERE c.sort_key > $after AND c.sort_key <= $upto
OPTIONAL MATCH (a:Agency)-[r:ASSIGNED]->(m)
WITH i, m, c, a, r ORDER BY r.position, a.id SKIP 0
WITH i, m, c,
     collect(CASE WHEN r.role = 'lead' THEN a.name ELSE NULL END) AS lead,
     collect(CASE WHEN r.role = 'joint' THEN a.name ELSE NULL END) AS joint
RETURN i.name AS industry, m.id AS id, m.ref AS ref, m.text AS text, m.section_path AS section_path,
       m.doc_id AS doc_id, m.doc_title AS document, lead, joint, c.sort_key AS sort_key
LIMIT 10000
