// title: Quantitative targets
// description: Targets filtered by target year (written, or derived from the document's year for 今年 / 3年内), metric keyword, unit, document, lead or responsible agency, with their normalised values (value_normalised in base_unit) and the measure that sets them; document_goal is true for a goal of a goals paragraph that names no agency (linked (:Document)-[:SETS]->(:Target)).
// param: year: int(0..9999) = 0 — only targets for this year (0: any year)
// param: derived: bool = true — let a year derived from the document's date (derived_year) match year too
// param: unit: str = '' — only targets in this unit as written (万家) or base unit (家)
// param: metric: str = '' — text the metric must contain
// param: q: str = '' — text the metric or the target's words must contain
// param: doc_id: str = '' — only this document
// param: lead: str = '' — only targets of measures this agency leads (id, i.e. canonical name)
// param: agency: str = '' — only targets of measures naming this agency (id, i.e. canonical name)
// param: role: str{lead|support|joint|any} = any — the role the agency must hold on the measure
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: id, metric, value, value_number, unit, value_normalised, base_unit, minimum, maximum, qualifier, year, derived_year, horizon, per_year, modality, text, document_goal, measure_id, ref, doc_id, document, lead, joint
// mode: read
MATCH (d:Document)-[:INCLUDES]->(m:Measure)-[:SETS_TARGET]->(t:Target)
WHERE ($year = 0 OR t.year = $year OR ($derived AND t.year IS NULL AND t.derived_year = $year))
  AND ($unit = '' OR t.unit = $unit OR t.base_unit = $unit)
  AND ($metric = '' OR t.metric CONTAINS $metric)
  AND ($q = '' OR t.metric CONTAINS $q OR t.text CONTAINS $q)
  AND ($doc_id = '' OR d.id = $doc_id)
  AND ($lead = '' OR EXISTS {
        MATCH (m)<-[x:ASSIGNED]-(y:Agency) WHERE y.id = $lead AND x.role = 'lead' })
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
       t.value_normalised AS value_normalised, t.base_unit AS base_unit, t.minimum AS minimum, t.maximum AS maximum,
       t.qualifier AS qualifier, t.year AS year, t.derived_year AS derived_year, t.horizon AS horizon,
       t.per_year AS per_year, t.modality AS modality, t.text AS text,
       EXISTS { MATCH (d)-[:SETS]->(t) } AS document_goal,
       m.id AS measure_id, m.ref AS ref, d.id AS doc_id, d.title AS document, lead, joint
ORDER BY coalesce(d.date_issued, ''), doc_id, m.ordinal, measure_id, id
