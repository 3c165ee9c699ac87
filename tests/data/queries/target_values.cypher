// title: Targets with their numbers, grouped per measure as a list of maps (ORDER BY in WITH needs SKIP on the embedded engine)
// returns: measure, targets
// mode: read
MATCH (m:Measure)-[:SETS_TARGET]->(t:Target)
WITH m, t ORDER BY t.id SKIP 0
RETURN m.id AS measure,
       collect({metric: t.metric, value: t.value, value_number: t.value_number, unit: t.unit,
                year: t.year, per_year: t.per_year}) AS targets
ORDER BY measure
