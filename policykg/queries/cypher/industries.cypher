// title: Industries
// description: The industries of the dictionary with how many measures and documents concern each, most concerned first.
// param: min_measures: int(0..) = 0 — leave out industries with fewer measures
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: id, name, code, category, measures, documents
// mode: read
MATCH (i:Industry)
OPTIONAL MATCH (m:Measure)-[:CONCERNS]->(i)
WITH i, count(DISTINCT m.id) AS measures, count(DISTINCT m.doc_id) AS documents
WHERE measures >= $min_measures
WITH i.id AS id, i.name AS name, i.code AS code, i.category AS category, measures, documents
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
ORDER BY measures DESC, id SKIP $offset
WITH id, name, code, category, measures, documents LIMIT $limit
RETURN id, name, code, category, measures, documents
ORDER BY measures DESC, id
