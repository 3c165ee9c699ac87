// title: Where a page of an industry's measures ends
// description: The sort keys of the next rows of industry_measures after a key, as one list, reading only the industry's relationships (no measure), so a page then reads just its own measures (industry_measures_rows).
// param: name: str — industry name or code
// param: after: int = -1 — only keys after this one
// param: limit: int(1..10001) = 100 — keys to return
// returns: keys
// mode: read
MATCH (i:Industry)
WHERE i.id = $name OR i.name = $name OR i.code = $name
MATCH (:Measure)-[c:CONCERNS]->(i)
WHERE c.sort_key > $after
WITH c.sort_key AS sort_key
ORDER BY sort_key
LIMIT $limit
RETURN collect(sort_key) AS keys
