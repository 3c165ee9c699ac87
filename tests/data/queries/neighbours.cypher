// title: Relationship types around one node, either direction (type(r) on Neo4j, label(r) on the embedded engine)
// param: id: str — a node id
// returns: rel, other
// mode: read
MATCH (n {id: $id})-[r]-(x)
RETURN type(r) AS rel, x.id AS other
ORDER BY rel, other
