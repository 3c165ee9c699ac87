// type(r) does not exist here: label(r) names a relationship's type.
MATCH (n {id: $id})-[r]-(x)
RETURN label(r) AS rel, x.id AS other
ORDER BY rel, other
