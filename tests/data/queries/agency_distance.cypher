// title: Length of the shortest chain of shared measures between two agencies
// param: source: str — canonical agency name
// param: target: str — canonical agency name
// returns: hops
// mode: read
MATCH (a:Agency {name: $source}), (b:Agency {name: $target})
MATCH p = shortestPath((a)-[:ASSIGNED*1..6]-(b))
RETURN length(p) AS hops
