// title: Agencies without tasks
// description: Agencies the graph knows (from the registry or an earlier document) that no measure names, or none of one document when doc_id is given.
// param: doc_id: str = '' — consider only this document's measures (empty: every document)
// param: level: str = '' — only agencies of this level, e.g. province
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: id, name, full_name, level, kind, resolved
// mode: read
MATCH (a:Agency)
WHERE ($level = '' OR a.level = $level)
  AND NOT EXISTS { MATCH (a)-[:ASSIGNED]->(m:Measure) WHERE $doc_id = '' OR m.doc_id = $doc_id }
WITH a.id AS id, a.name AS name, a.full_name AS full_name, a.level AS level, a.kind AS kind, a.resolved AS resolved
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
ORDER BY id SKIP $offset
WITH id, name, full_name, level, kind, resolved LIMIT $limit
RETURN id, name, full_name, level, kind, resolved
ORDER BY id
