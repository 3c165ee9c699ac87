// title: Industries some measure concerns, with how many measures
// returns: industry, code, measures
// mode: read
MATCH (:Measure)-[:CONCERNS]->(i:Industry)
RETURN i.name AS industry, i.code AS code, count(*) AS measures
ORDER BY industry
