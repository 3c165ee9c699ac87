// title: Quantitative targets
// description: Targets filtered by year, unit, metric text, document and responsible agency, with the measure that sets them and its lead or jointly responsible agencies.
// param: year: int(0..9999) = 0 — only targets for this year (0: any year)
// param: unit: str = '' — only targets in this unit, e.g. 家 or 亿元
// param: q: str = '' — text the metric or target must contain
// param: doc_id: str = '' — only this document
// param: agency: str = '' — only targets of measures naming this agency (id, i.e. canonical name)
// param: role: str{lead|support|joint|any} = any — the role the agency must hold on the measure
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: id, metric, value, value_number, unit, qualifier, year, per_year, modality, text, measure_id, ref, doc_id, document, lead, joint
// mode: read
MATCH (d:Document)-[:INCLUDES]->(m:Measure)-[:SETS_TARGET]->(t:Target)
WHERE ($year = 0 OR t.year = $year)
  AND ($unit = '' OR t.unit = $unit)
  AND ($q = '' OR t.metric CONTAINS $q OR t.text CONTAINS $q)
  AND ($doc_id = '' OR d.id = $doc_id)
  AND ($agency = '' OR EXISTS {
        MATCH (m)<-[x:ASSIGNED]-(y:Agency)
        WHERE y.id = $agency AND ($role = 'any' OR x.role = $role) })
WITH d, m, t ORDER BY coalesce(d.date_issued, ''), d.id, m.ordinal, m.id, t.id SKIP $offset
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
WITH d, m, t LIMIT $limit
OPTIONAL MATCH (a:Agency)-[r:ASSIGNED]->(m)
WITH d, m, t, a, r ORDER BY r.position, a.id SKIP 0
WITH d, m, t,
     collect(CASE WHEN r.role = 'lead' THEN a.name ELSE NULL END) AS lead,
     collect(CASE WHEN r.role = 'joint' THEN a.name ELSE NULL END) AS joint
RETURN t.id AS id, t.metric AS metric, t.value AS value, t.value_number AS value_number, t.unit AS unit,
       t.qualifier AS qualifier, t.year AS year, t.per_year AS per_year, t.modality AS modality, t.text AS text,
       m.id AS measure_id, m.ref AS ref, d.id AS doc_id, d.title AS document, lead, joint
ORDER BY coalesce(d.date_issued, ''), doc_id, m.ordinal, measure_id, id
