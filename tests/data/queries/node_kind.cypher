// title: The label of the node with an id (labels(n)[0] on Neo4j, label(n) on the embedded engine)
// param: id: str — a node id
// returns: kind
// mode: read
MATCH (n)
WHERE n.id = $id
RETURN labels(n)[0] AS kind
ORDER BY kind
