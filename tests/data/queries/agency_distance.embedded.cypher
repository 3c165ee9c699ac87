// shortestPath(...) is spelled with SHORTEST inside the relationship pattern here.
MATCH (a:Agency {name: $source}), (b:Agency {name: $target})
MATCH p = (a)-[:ASSIGNED* SHORTEST 1..6]-(b)
RETURN length(p) AS hops
