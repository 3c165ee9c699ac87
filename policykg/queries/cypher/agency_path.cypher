// title: Shortest chains between two agencies
// description: The shortest chains linking two agencies through measures they share (agency, measure, agency, …), every chain of the shortest length up to six measures long, in a fixed order.
// param: source: str — id (canonical name) of the first agency
// param: target: str — id (canonical name) of the second agency
// param: limit: int(1..1000) = 10 — chains to return
// returns: hops, agencies, measures, chain
// mode: read
MATCH (a:Agency {id: $source}), (b:Agency {id: $target})
WHERE b.id <> a.id
MATCH p = allShortestPaths((a)-[:ASSIGNED*..12]-(b))
WITH [n IN nodes(p) WHERE n:Agency | n.name] AS agencies, [n IN nodes(p) WHERE n:Measure | n.id] AS measures,
     reduce(k = '', n IN nodes(p) | k + '>' + n.id) AS chain
RETURN size(measures) AS hops, agencies, measures, substring(chain, 1) AS chain
ORDER BY hops, chain
LIMIT $limit
