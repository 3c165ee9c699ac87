// title: Returns a node itself (refused: catalogued queries must return properties)
// returns: d
// mode: read
MATCH (d:Document)
RETURN d
