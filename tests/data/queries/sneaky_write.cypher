// title: A "read" that deletes (refused before it reaches the engine)
// returns: n
// mode: read
MATCH (n:Measure) DETACH DELETE n RETURN count(*) AS n
