// title: Search measures
// description: Measures filtered by keyword in the source text, document, section (a numbering path and everything under it), industry, agency, document year and target year (a year one of the measure's targets is set for), in document order, with their lead, supporting and joint agencies.
// param: q: str = '' — text the measure must contain (empty: any)
// param: doc_id: str = '' — only this document
// param: section: str = '' — only under this numbering path, e.g. 三/(二)
// param: industry: str = '' — only measures concerning this industry (name or code)
// param: agency: str = '' — only measures naming this agency (id, i.e. canonical name) in any role
// param: year: int(0..9999) = 0 — only documents of this year (0: any year)
// param: target_year: int(0..9999) = 0 — only measures with a target for this year, written or derived from the document's date (0: any)
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// param: after: int = -1 — only measures after this sort key (the API's cursor carries it)
// param: upto: int = 9223372036854775807 — only measures up to this sort key
// returns: id, ref, text, section_path, deadline, doc_id, document, lead, support, joint, sort_key
// cursor: after
// mode: read
MATCH (m:Measure)
WHERE m.sort_key > $after AND m.sort_key <= $upto
  AND ($q = '' OR m.text CONTAINS $q)
  AND ($doc_id = '' OR m.doc_id = $doc_id)
  AND ($section = '' OR m.section_path = $section OR m.section_path STARTS WITH ($section + '/'))
  AND ($year = 0 OR m.doc_year = $year)
  AND ($target_year = 0 OR EXISTS {
        MATCH (m)-[:SETS_TARGET]->(t:Target)
        WHERE t.year = $target_year OR (t.year IS NULL AND t.derived_year = $target_year) })
  AND ($industry = '' OR EXISTS {
        MATCH (m)-[:CONCERNS]->(i:Industry) WHERE i.name = $industry OR i.code = $industry })
  AND ($agency = '' OR EXISTS {
        MATCH (m)<-[:ASSIGNED]-(x:Agency) WHERE x.id = $agency })
WITH m ORDER BY m.sort_key SKIP $offset
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
WITH m LIMIT $limit
OPTIONAL MATCH (a:Agency)-[r:ASSIGNED]->(m)
WITH m, a, r ORDER BY r.position, a.id SKIP 0
WITH m,
     collect(CASE WHEN r.role = 'lead' THEN a.name ELSE NULL END) AS lead,
     collect(CASE WHEN r.role = 'support' THEN a.name ELSE NULL END) AS support,
     collect(CASE WHEN r.role = 'joint' THEN a.name ELSE NULL END) AS joint
RETURN m.id AS id, m.ref AS ref, m.text AS text, m.section_path AS section_path, m.deadline AS deadline,
       m.doc_id AS doc_id, m.doc_title AS document, lead, support, joint, m.sort_key AS sort_key
ORDER BY sort_key
