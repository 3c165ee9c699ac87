// title: Industries of every measure, for analytics
// description: One row per measure and industry it concerns; the two-mode agency × industry network is built from it.
// returns: measure_id, industry
// mode: read
MATCH (m:Measure)-[:CONCERNS]->(i:Industry)
RETURN m.id AS measure_id, i.name AS industry
ORDER BY measure_id, industry
