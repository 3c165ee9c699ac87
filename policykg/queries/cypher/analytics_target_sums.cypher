// title: Normalised target sums of every measure, for analytics
// description: One row per measure and base unit: the sum of its targets' normalised values in that unit and how many there are; rates and shares (%, 个百分点, 倍, fractions) are left out, since they do not add up. The workload table's "targets as lead" sums are built from it.
// returns: measure_id, base_unit, total, targets
// mode: read
MATCH (m:Measure)-[:SETS_TARGET]->(t:Target)
WHERE t.value_normalised IS NOT NULL AND t.base_unit IS NOT NULL
  AND NOT t.base_unit IN ['%', '％', '‰', '个百分点', '倍']
RETURN m.id AS measure_id, t.base_unit AS base_unit, sum(t.value_normalised) AS total, count(t) AS targets
ORDER BY measure_id, base_unit
