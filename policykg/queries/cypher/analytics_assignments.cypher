// title: Every assignment, for analytics
// description: One row per agency named on a measure, with the document's year and the measure's target count; the input of the workload and network metrics.
// returns: measure_id, doc_id, year, agency, agency_id, role, position, targets
// mode: read
MATCH (d:Document)-[:INCLUDES]->(m:Measure)<-[r:ASSIGNED]-(a:Agency)
OPTIONAL MATCH (m)-[:SETS_TARGET]->(t:Target)
RETURN m.id AS measure_id, d.id AS doc_id, d.year AS year, a.name AS agency, a.id AS agency_id, r.role AS role,
       r.position AS position, count(t) AS targets
ORDER BY measure_id, position, agency_id, role
