// type(r) does not exist here: label(r) names a relationship's type. FILED files a measure in the
// store's own key index (policykg.graph.key_index), which is not part of the graph's model.
MATCH (n {id: $id})-[r]-(x)
WHERE label(r) <> 'FILED'
RETURN label(r) AS rel, x.id AS other
ORDER BY rel, other
