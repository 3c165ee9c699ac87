// title: Lead × support matrix
// description: For every pair of agencies where one leads and the other supports the same measure, how many such measures there are; the cells of a lead-by-support matrix, largest first.
// param: doc_id: str = '' — only this document (empty: every document)
// param: min_measures: int(1..) = 1 — leave out pairs sharing fewer measures
// param: limit: int(1..100000) = 1000 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: lead, support, measures
// mode: read
MATCH (l:Agency)-[r1:ASSIGNED]->(m:Measure)<-[r2:ASSIGNED]-(s:Agency)
WHERE r1.role = 'lead' AND r2.role = 'support' AND l.id <> s.id AND ($doc_id = '' OR m.doc_id = $doc_id)
WITH l, s, count(DISTINCT m.id) AS measures
WHERE measures >= $min_measures
WITH l.name AS lead, s.name AS support, measures
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
ORDER BY measures DESC, lead, support SKIP $offset
WITH lead, support, measures LIMIT $limit
RETURN lead, support, measures
ORDER BY measures DESC, lead, support
