// title: Workload of every agency
// description: For each agency, how many measures it leads, supports and shares jointly, how many targets it is accountable for as lead and their normalised sums per base unit (rates and shares left out: they do not add up), and in how many documents it is named. Busiest first.
// param: doc_id: str = '' — count only this document (empty: every document)
// param: q: str = '' — only agencies whose name or full name contains this text
// param: jurisdiction: str = '' — only agencies of this jurisdiction, e.g. 山东省 (empty: any)
// param: min_measures: int(0..) = 0 — leave out agencies with fewer measures
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: id, name, jurisdiction, level, kind, resolved, measures, lead, support, joint, targets_led, targets_led_sums, documents
// mode: read
MATCH (a:Agency)
WHERE ($q = '' OR a.name CONTAINS $q OR coalesce(a.full_name, '') CONTAINS $q)
  AND ($jurisdiction = '' OR a.jurisdiction = $jurisdiction)
OPTIONAL MATCH (a)-[r:ASSIGNED]->(m:Measure)
WHERE $doc_id = '' OR m.doc_id = $doc_id
WITH a, count(DISTINCT m.id) AS measures, count(DISTINCT m.doc_id) AS documents,
     sum(CASE WHEN r.role = 'lead' THEN 1 ELSE 0 END) AS lead,
     sum(CASE WHEN r.role = 'support' THEN 1 ELSE 0 END) AS support,
     sum(CASE WHEN r.role = 'joint' THEN 1 ELSE 0 END) AS joint
WHERE measures >= $min_measures
OPTIONAL MATCH (a)-[rl:ASSIGNED]->(ml:Measure)-[:SETS_TARGET]->(t:Target)
WHERE rl.role = 'lead' AND ($doc_id = '' OR ml.doc_id = $doc_id)
WITH a, measures, documents, lead, support, joint, count(DISTINCT t.id) AS targets_led
OPTIONAL MATCH (a)-[rs:ASSIGNED]->(ms:Measure)-[:SETS_TARGET]->(ts:Target)
WHERE rs.role = 'lead' AND ($doc_id = '' OR ms.doc_id = $doc_id) AND ts.value_normalised IS NOT NULL
  AND ts.base_unit IS NOT NULL AND NOT ts.base_unit IN ['%', '％', '‰', '个百分点', '倍']
WITH a, measures, documents, lead, support, joint, targets_led, ts.base_unit AS base_unit,
     sum(ts.value_normalised) AS total, count(ts) AS counted
WITH a, measures, documents, lead, support, joint, targets_led, base_unit, total, counted
     ORDER BY base_unit SKIP 0
WITH a, measures, documents, lead, support, joint, targets_led,
     collect(CASE WHEN base_unit IS NULL THEN NULL
                  ELSE {base_unit: base_unit, total: total, targets: counted} END) AS targets_led_sums
WITH a.id AS id, a.name AS name, a.jurisdiction AS jurisdiction, a.level AS level, a.kind AS kind, a.resolved AS resolved,
     measures, lead, support, joint, targets_led, targets_led_sums, documents
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
ORDER BY measures DESC, lead DESC, id SKIP $offset
WITH id, name, jurisdiction, level, kind, resolved, measures, lead, support, joint, targets_led, targets_led_sums,
     documents LIMIT $limit
RETURN id, name, jurisdiction, level, kind, resolved, measures, lead, support, joint, targets_led, targets_led_sums, documents
ORDER BY measures DESC, lead DESC, id
