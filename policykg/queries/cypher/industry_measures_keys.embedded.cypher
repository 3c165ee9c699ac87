// LadybugDB plans a statement again on every call when its LIMIT is a parameter: the keys are
// collected, sorted and sliced instead, under one cached plan (see agency_measures_keys).
MATCH (i:Industry)
WHERE i.id = $name OR i.name = $name OR i.code = $name
MATCH (:Measure)-[c:CONCERNS]->(i)
WHERE c.sort_key > $after
WITH list_sort(collect(c.sort_key)) AS keys
RETURN list_slice(keys, 1, $limit) AS keys
