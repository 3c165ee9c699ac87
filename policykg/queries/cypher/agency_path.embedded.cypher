// Kuzu dialect: ALL SHORTEST instead of allShortestPaths, label() and list functions instead of list comprehensions.
MATCH (a:Agency {id: $source}), (b:Agency {id: $target})
WHERE b.id <> a.id
MATCH p = (a)-[:ASSIGNED* ALL SHORTEST 1..12]-(b)
WITH list_transform(list_filter(nodes(p), n -> label(n) = 'Agency'), n -> n.name) AS agencies,
     list_transform(list_filter(nodes(p), n -> label(n) = 'Measure'), n -> n.id) AS measures,
     list_to_string('>', list_transform(nodes(p), n -> n.id)) AS chain
RETURN size(measures) AS hops, agencies, measures, chain
ORDER BY hops, chain
LIMIT $limit
