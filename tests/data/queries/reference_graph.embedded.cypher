// label(r) for type(r); a property only one of the relationship tables has reads as NULL on the others.
MATCH (a:Agency)-[r]->(b:Agency)
RETURN a.name AS source, label(r) AS rel, b.name AS target, r.date AS date
ORDER BY source, rel, target
