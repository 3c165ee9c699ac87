// labels(n) is a string here, so labels(n)[0] would silently be '': use label(n).
MATCH (n)
WHERE n.id = $id
RETURN label(n) AS kind
ORDER BY kind
